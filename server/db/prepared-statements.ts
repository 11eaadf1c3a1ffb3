import { createHash } from "node:crypto";
import { Prisma } from "@/server/db/generated/client";

// Hot statements (a SCIM creation, an API token check) spend about as long in
// PostgreSQL's planner as in its executor: their CTEs are planned again on
// every call, since Prisma's adapter sends unnamed statements. A statement that
// starts with PREPARED is sent as a named prepared statement instead (named by
// its text's hash), so each pooled connection parses it once and PostgreSQL may
// keep its plan. Opt-in only: the text must be fixed (values as parameters,
// never a varying fragment), or each variant would be kept on every connection.

const MARK = "/* tenure:prepared */";

/** The statement, sent as a prepared statement of its own (its text must not vary between calls). */
export const prepared = (statement: Prisma.Sql): Prisma.Sql => Prisma.sql`${Prisma.raw(MARK)} ${statement}`;

/** PrismaPg's statementNameGenerator: a name for marked statements; for the rest "", which pg sends as the unnamed statement (not kept). */
export function preparedStatementName(query: { sql: string }): string {
  if (!query.sql.startsWith(MARK)) return "";
  return `tenure_${createHash("sha1").update(query.sql).digest("hex").slice(0, 24)}`;
}
