import type { KoaContextWithOIDC } from "oidc-provider";

// The few pages oidc-provider itself renders (an error it cannot send back to
// the application, the RP-initiated logout prompt and its confirmation), kept
// plain and Tenure's. An error page names the OAuth error code only: its
// description can echo the request (a redirect URI, a client id) back into
// HTML, and an internal error's text is for the server log.

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character]!);

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Tenure</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;margin:0;padding:48px 16px}main{max-width:420px;margin:0 auto;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:24px}h1{font-size:1.25rem;margin:0 0 12px}button{font:inherit;padding:8px 16px;border-radius:6px;border:1px solid #cbd5e1;background:#fff;cursor:pointer;margin-right:8px}button.primary{background:#1d4ed8;color:#fff;border-color:#1d4ed8}code{background:#f1f5f9;padding:2px 4px;border-radius:4px}</style>
</head><body><main>${body}</main></body></html>`;
}

const KNOWN_CODES = /^[a-z_]{1,64}$/;

export function renderProviderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): Promise<void> {
  const code = KNOWN_CODES.test(out.error) ? out.error : "server_error";
  ctx.type = "html";
  ctx.body = page(
    "Sign-in failed",
    `<h1>This sign-in cannot continue</h1><p>The application's request was refused (<code>${escapeHtml(code)}</code>). Go back to the application and try again; if it keeps happening, tell your administrator.</p>`,
  );
  return Promise.resolve();
}

export function renderLogoutPrompt(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const application = ctx.oidc.client?.clientName ?? "the application";
  ctx.type = "html";
  ctx.body = page(
    "Sign out",
    `<h1>Sign out of ${escapeHtml(String(application))}?</h1>${form}
<button class="primary" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
  );
  return Promise.resolve();
}

export function renderLoggedOut(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = "html";
  ctx.body = page("Signed out", `<h1>You are signed out</h1><p>You can close this window.</p>`);
  return Promise.resolve();
}
