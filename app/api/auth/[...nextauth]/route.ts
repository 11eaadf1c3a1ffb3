import NextAuth, { type NextAuthOptions } from "next-auth";
import { authOptions } from "@/server/sign-in/auth-options";

type TRouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built on the first request, not at import: they read the
// validated environment, which `next build` does not have. Then kept: the
// environment does not change while the process runs.
let options: NextAuthOptions | undefined;

function handler(request: Request, context: TRouteContext) {
  options ??= authOptions();
  return NextAuth(request as never, context as never, options) as Promise<Response>;
}

export { handler as GET, handler as POST };
