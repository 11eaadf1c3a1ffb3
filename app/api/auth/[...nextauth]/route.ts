import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/auth-options";

type TRouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: they read the validated environment, which
// `next build` does not have.
function handler(request: Request, context: TRouteContext) {
  return NextAuth(request as never, context as never, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
