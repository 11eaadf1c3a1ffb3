import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContextFromHeaders } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";
import { logUnexpectedError } from "@/server/unexpected-error";

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: ({ req }) => createContextFromHeaders(req.headers),
    // The same id the error formatter gave the client (logged once per error).
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") logUnexpectedError(error.cause ?? error, `tRPC ${path ?? "?"}`);
    },
  });
}

export { handler as GET, handler as POST };
