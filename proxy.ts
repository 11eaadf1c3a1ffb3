import { NextResponse, type NextRequest } from "next/server";
import { db } from "@/server/db/client";
import { checkSession } from "@/server/auth/sessions";
import { currentSessionCookieName, sessionIdFromCookie } from "@/server/auth/session-token";

// Runs before every console and self-service request, including client-side
// navigations that re-use a layout: a revoked, expired or idle session (or a
// blocked member) is signed out on its very next request.
export async function proxy(request: NextRequest) {
  const sessionId = await sessionIdFromCookie((name) => request.cookies.get(name)?.value);
  const check = await checkSession(db(), sessionId);
  if (check.live) return NextResponse.next();

  const target = new URL("/sign-in", request.url);
  if (check.reason !== "unknown") target.searchParams.set("reason", check.reason);
  target.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.redirect(target);
  if (sessionId) response.cookies.delete(currentSessionCookieName());
  return response;
}

export const config = { matcher: ["/console/:path*", "/me/:path*", "/console", "/me"] };
