"use client";

import { useState } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";

/** A signing secret, shown once: Tenure keeps it sealed and never shows it again. */
export function WebhookSecretOnce({ secret, children }: { secret: string; children?: React.ReactNode }) {
  const [copied, setCopied] = useState(false);
  return (
    <section aria-labelledby="webhook-secret-heading" className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4">
      <h2 id="webhook-secret-heading" className="font-semibold text-amber-950">
        The signing secret: copy it now
      </h2>
      <p className="text-sm text-amber-950">It is shown only this once. Give it to the receiving system, which verifies every request’s signature with it.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code aria-label="Signing secret" className="break-all rounded border border-amber-300 bg-white px-2 py-1 font-mono text-sm" data-testid="webhook-secret">
          {secret}
        </code>
        <button
          type="button"
          className={SECONDARY_BUTTON}
          onClick={() => {
            void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      {children}
    </section>
  );
}
