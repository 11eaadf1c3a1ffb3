"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { FormAlert } from "@/components/form/field";
import { splitMailLinks } from "@/components/lifecycle/mail-links";
import { HeldInvitationLink } from "@/components/lifecycle/held-invitation-link";
import { EmptyList, LoadMore, QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";

const PAGE_SIZE = 30;

const STATUS_STYLES: Record<string, string> = {
  held: "bg-amber-100 text-amber-800",
  queued: "bg-sky-100 text-sky-800",
  sent: "bg-emerald-100 text-emerald-800",
  logged: "bg-emerald-100 text-emerald-800",
};

const KIND_LABELS: Record<string, string> = {
  account_locked: "Account locked",
  account_disabled: "Account disabled",
  password_expiry_reminder: "Password expiry reminder",
  invitation: "Invitation",
  password_reset: "Password reset",
  contact_changed: "Contact changed",
  alert: "Alert",
};

/** The body as the member would read it, its links clickable. */
function MailBody({ body }: { body: string }) {
  return (
    <pre className="mt-2 whitespace-pre-wrap break-words rounded bg-slate-50 p-3 font-sans text-sm text-slate-800">
      {splitMailLinks(body).map((part, index) =>
        part.kind === "link" ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer" className="text-brand-700 underline">
            {part.href}
          </a>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </pre>
  );
}

/**
 * Settings → Outbox: every mail Tenure sent or holds, newest first. Without
 * SMTP_URL nothing leaves the server: mail is held here, to be read.
 */
export function OutboxList() {
  const trpc = useTRPC();
  const outbox = useInfiniteQuery(trpc.lifecycle.outbox.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  const mails = useMemo(() => outbox.data?.pages.flatMap((page) => page.items) ?? [], [outbox.data]);

  if (outbox.isPending || !outbox.data) return <QueryStatus query={outbox} loading="Loading the outbox…" failure="The outbox could not be loaded" />;
  if (mails.length === 0) return <EmptyList>No mail yet.</EmptyList>;
  return (
    <div className="space-y-3">
      {mails.some((mail) => mail.status === "held") ? (
        <FormAlert tone="info">
          Mail marked “held” was not sent: no SMTP_URL is configured, so Tenure keeps its mail here. Set SMTP_URL (and MAIL_FROM) to deliver new mail.
          Password reset links are never shown here (only the recipient&apos;s mailbox gets one); an invitation&apos;s link can be shown, on request and recorded in the audit trail, to whoever may act on the invited member.
        </FormAlert>
      ) : null}
      <ul aria-label="Mails" className="space-y-2">
        {mails.map((mail) => (
          <li key={mail.id} className="rounded-lg border border-slate-200 bg-white">
            <details className="group p-4">
              <summary className="flex cursor-pointer list-none flex-wrap items-baseline gap-x-3 gap-y-1">
                <span className="font-medium text-slate-900">{mail.subject}</span>
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[mail.status] ?? "bg-slate-100 text-slate-700"}`}>{mail.status}</span>
                <span className="text-sm text-slate-600">to {mail.to}</span>
                <span className="text-xs text-slate-500">
                  {KIND_LABELS[mail.kind] ?? mail.kind} · created <DateTime value={mail.createdAt} />
                  {mail.sentAt ? <> · sent <DateTime value={mail.sentAt} /></> : ""}
                  {mail.attempts > 0 ? ` · ${mail.attempts} attempt${mail.attempts === 1 ? "" : "s"}` : ""}
                </span>
                <span className="ml-auto text-xs text-brand-700 group-open:hidden">Read</span>
                <span className="ml-auto hidden text-xs text-brand-700 group-open:inline">Close</span>
              </summary>
              {mail.lastError ? <p className="mt-2 text-sm text-red-700">Last error: {mail.lastError}</p> : null}
              <MailBody body={mail.body} />
              {mail.linkAvailable ? <HeldInvitationLink mailId={mail.id} to={mail.to} /> : null}
            </details>
          </li>
        ))}
      </ul>
      <LoadMore query={outbox} shown={mails.length} failure="More mail could not be loaded" />
    </div>
  );
}
