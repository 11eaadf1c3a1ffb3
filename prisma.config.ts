import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (generate here; migrate on a connected machine).
// The app applies migrations with its own runner: server/db/migrations.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/tenure" },
});
