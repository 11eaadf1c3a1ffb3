import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditChanges } from "@/components/audit/audit-changes";
import { AuditEventByline } from "@/components/audit/audit-event-byline";
import { actionLabel } from "@/components/audit/audit-labels";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Audit event" };

const LARGEST_ID = 9_223_372_036_854_775_807n; // PostgreSQL bigint

/** One audit event, where an alert links: another organisation's, or no event at all, is a 404. */
export default async function AuditEventPage({ params }: { params: Promise<{ eventId: string }> }) {
  await requireAdminSession();
  const { eventId } = await params;
  if (!/^\d{1,19}$/.test(eventId) || BigInt(eventId) > LARGEST_ID) notFound();
  const event = await (await serverCaller()).audit.event({ eventId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const target = event.targetName ?? `${event.targetType} #${event.targetId}`;
  return (
    <>
      <PageHeader title={actionLabel(event.action)} description={<AuditEventByline event={event} showCode />} />
      <section aria-label="The event" className="max-w-3xl space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <p className="text-sm text-slate-700">
          {event.highRisk ? <span className="mr-2 rounded bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800">High risk</span> : null}
          On{" "}
          {event.targetType === "member" && event.targetName ? (
            <Link href={`/console/members/${event.targetId}`} className="font-medium text-brand-700 hover:underline">
              {target}
            </Link>
          ) : (
            <span className="font-medium text-slate-900">{target}</span>
          )}
        </p>
        <AuditChanges changes={event.changes} />
      </section>
      <p className="mt-4 text-sm">
        <Link href="/console/audit" className="font-medium text-brand-700 hover:underline">
          The whole audit trail
        </Link>
      </p>
    </>
  );
}
