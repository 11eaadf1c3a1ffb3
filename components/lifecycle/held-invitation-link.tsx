"use client";

import { useMutation } from "@tanstack/react-query";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { useTRPC } from "@/components/trpc/client";

/**
 * A held invitation's link, shown on request: whoever holds it sets the
 * member's first password, so each showing is recorded in the audit trail
 * (server/mail/reveal-invitation-link.ts) and the list never carries it.
 */
export function HeldInvitationLink({ mailId, to }: { mailId: string; to: string | null }) {
  const trpc = useTRPC();
  const reveal = useMutation(trpc.lifecycle.revealInvitationLink.mutationOptions());
  if (reveal.data) {
    return (
      <p className="mt-2 text-sm text-slate-700">
        Not sent: hand this invitation link to {to ?? "the member"} yourself (it works once):{" "}
        <a href={reveal.data.link} target="_blank" rel="noopener noreferrer" className="break-all text-brand-700 underline">
          {reveal.data.link}
        </a>
      </p>
    );
  }
  return (
    <div className="mt-2 space-y-2 text-sm text-slate-700">
      <p>
        Not sent. The invitation link can be shown here for you to hand on; showing it is recorded in the audit trail.{" "}
        <button type="button" className={SECONDARY_BUTTON} disabled={reveal.isPending} onClick={() => reveal.mutate({ mailId })}>
          {reveal.isPending ? "Showing…" : "Show the invitation link"}
        </button>
      </p>
      {reveal.isError ? <FormAlert>The link could not be shown: {reveal.error.message}</FormAlert> : null}
    </div>
  );
}
