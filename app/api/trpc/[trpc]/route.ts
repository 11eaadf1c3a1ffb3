import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContextFromHeaders } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: ({ req }) => createContextFromHeaders(req.headers),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
