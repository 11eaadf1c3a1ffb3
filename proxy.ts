import { NextResponse, type NextRequest } from "next/server";
import { db } from "@/server/db/client";
import { checkSession } from "@/server/auth/sessions";
import { sessionIdFromCookie } from "@/server/auth/session-token";
import { safeRedirectPath } from "@/server/validation/safe-redirect";

// Runs before every console and self-service request, including client-side
// navigations that re-use a layout: a revoked, expired or idle session (or a
// blocked member) is signed out on its very next request, and a member who
// must change their password is sent to do that first.
export async function proxy(request: NextRequest) {
  const sessionId = await sessionIdFromCookie((name) => request.cookies.get(name)?.value);
  const check = await checkSession(db(), sessionId);
  if (check.live) return NextResponse.next();

  const callbackUrl = safeRedirectPath(`${request.nextUrl.pathname}${request.nextUrl.search}`);
  if (check.reason === "password_change_required") {
    const target = new URL("/change-password", request.url);
    target.searchParams.set("callbackUrl", callbackUrl);
    return NextResponse.redirect(target);
  }
  const target = new URL("/sign-in", request.url);
  if (check.reason !== "unknown") target.searchParams.set("reason", check.reason);
  target.searchParams.set("callbackUrl", callbackUrl);
  // The cookie stays: the ended session row is what signs the browser out, and
  // deleting it here would let a background link prefetch (which Next does not
  // mark for the proxy) erase the reason the next real navigation should show.
  return NextResponse.redirect(target);
}

export const config = { matcher: ["/console/:path*", "/me/:path*", "/console", "/me"] };
