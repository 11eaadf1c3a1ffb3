"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type ReactNode } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { QueryStatus } from "@/components/list/list-state";
import { DateTime } from "@/components/date-time";
import { useTRPC } from "@/components/trpc/client";
import { InvitationHandOver } from "@/components/onboarding/invitation-hand-over";

type TLatest = { sentAt: Date; expiresAt: Date; acceptedAt: Date | null; status: "open" | "expired" | "accepted"; delivery: "mail" | "handed" };

function describe(latest: TLatest | null): ReactNode {
  if (!latest) return "No invitation sent yet: the member has no password.";
  if (latest.status === "accepted" && latest.acceptedAt) return <>Accepted <DateTime value={latest.acceptedAt} />: the member chose their password.</>;
  const made = latest.delivery === "mail" ? "sent" : "handed to an admin";
  if (latest.status === "expired") return <>The invitation {made} <DateTime value={latest.sentAt} /> is no longer valid (expired or replaced).</>;
  return (
    <>
      {latest.delivery === "mail" ? "Sent" : "No email address: the link was shown to an admin to hand over"} <DateTime value={latest.sentAt} />; the link works
      until <DateTime value={latest.expiresAt} />.
    </>
  );
}

/**
 * A member's invitation to choose their first password, and "Resend
 * invitation" (the earlier links stop working). Shows nothing for a member
 * who has a password and was never invited. For the member page.
 */
export function MemberInvitation({ memberId }: { memberId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const status = useQuery(trpc.onboarding.invitationStatus.queryOptions({ memberId }));
  const [notice, setNotice] = useState<string | null>(null);
  const [handOver, setHandOver] = useState<{ link: string; expiresAt: Date } | null>(null);
  const resend = useMutation(
    trpc.onboarding.resendInvitation.mutationOptions({
      onSuccess: ({ sentTo, link, expiresAt }) => {
        // No email address: the new link is shown here, once, for the admin to hand over.
        if (link) setHandOver({ link, expiresAt });
        setNotice(sentTo ? `Invitation sent to ${sentTo}. Earlier links no longer work.` : "A new invitation link was made. Earlier links no longer work.");
      },
      onSettled: async () => {
        await Promise.all([queryClient.invalidateQueries(trpc.onboarding.invitationStatus.pathFilter()), queryClient.invalidateQueries(trpc.members.timeline.pathFilter())]);
      },
    }),
  );

  if (status.isPending || status.isError) return <QueryStatus query={status} loading="Checking the invitation…" failure="The invitation could not be loaded" />;
  const { latest, canResend, refusal, hasPassword } = status.data;
  if (hasPassword && !latest) return null;

  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id={headingId} className="text-sm font-semibold text-slate-900">
            Invitation
          </h2>
          <p className="text-sm text-slate-600" data-testid="invitation-status">
            {describe(latest)}
            {!canResend && refusal && !hasPassword ? ` ${refusal}.` : ""}
          </p>
        </div>
        {canResend ? (
          <button
            type="button"
            className={SECONDARY_BUTTON}
            disabled={resend.isPending}
            onClick={() => {
              setNotice(null);
              setHandOver(null);
              resend.mutate({ memberId });
            }}
          >
            {resend.isPending ? "Sending…" : latest ? "Resend invitation" : "Send invitation"}
          </button>
        ) : null}
      </div>
      <SuccessStatus message={notice} />
      {handOver ? <InvitationHandOver link={handOver.link} expiresAt={handOver.expiresAt} fullName="This member" /> : null}
      {resend.isError ? <FormAlert>{resend.error.message}</FormAlert> : null}
    </section>
  );
}
