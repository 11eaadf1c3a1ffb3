"use client";

import type { useRouter } from "next/navigation";
import { isIssuerPath } from "@/server/oidc/paths";
import { safeRedirectPath } from "@/server/validation/safe-redirect";

type TRouter = ReturnType<typeof useRouter>;

/**
 * On to where the member was going once signed in (or enrolled, or with a new password). An application's
 * sign-in in progress (the issuer's interaction) is not a Next page: it is loaded as a document. Through the
 * client router it took a payload fetch, a non-payload answer, then a hard navigation that the refresh queued
 * behind it could pre-empt; once in CI a member stayed on the sign-in page.
 */
export function continueAfterSignIn(router: TRouter, callbackUrl: string | null | undefined): void {
  const path = safeRedirectPath(callbackUrl);
  if (isIssuerPath(path)) {
    window.location.assign(path);
    return;
  }
  router.replace(path);
  router.refresh();
}
