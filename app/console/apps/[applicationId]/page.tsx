import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApplicationMembersPanels } from "@/components/applications/application-members-panels";
import { ApplicationSignInPanel } from "@/components/applications/application-sign-in-panel";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Application" };

const LARGEST_ID = 9_223_372_036_854_775_807n; // PostgreSQL bigint

/** One application: its sign-in (OpenID Connect) settings, who can sign in and their sessions, and a link to its provisioning. Another organisation's is a 404. */
export default async function ApplicationPage({ params }: { params: Promise<{ applicationId: string }> }) {
  const session = await requireAdminSession();
  const { applicationId } = await params;
  if (!/^\d{1,19}$/.test(applicationId) || BigInt(applicationId) > LARGEST_ID) notFound();
  const view = await (await serverCaller()).applicationSignIn.get({ applicationId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-slate-600">
        <Link href="/console/apps" className="hover:underline">
          Apps
        </Link>
      </nav>
      <PageHeader title={view.name} description={view.description ?? "An application members may be granted."} />
      <section aria-labelledby="application-sign-in-heading" className="space-y-3">
        <h2 id="application-sign-in-heading" className="text-lg font-semibold">
          Sign-in (OpenID Connect)
        </h2>
        <ApplicationSignInPanel initial={view} canEdit={session.member.sysAdmin >= SYSTEM_ROLE.owner} />
      </section>
      <section aria-labelledby="application-people-heading" className="mt-8 space-y-3">
        <h2 id="application-people-heading" className="text-lg font-semibold">
          Members and sessions
        </h2>
        <ApplicationMembersPanels applicationId={applicationId} name={view.name} signInEnabled={view.clientId !== null} />
      </section>
      <section aria-labelledby="application-provisioning-heading" className="mt-8 space-y-2">
        <h2 id="application-provisioning-heading" className="text-lg font-semibold">
          Provisioning (SCIM)
        </h2>
        <p className="text-sm text-slate-700">
          Create, update and close this application&apos;s own accounts as members gain and lose it.{" "}
          <Link href={`/console/apps/${applicationId}/provisioning`} className="font-medium text-brand-700 underline">
            Provisioning settings and account states
          </Link>
        </p>
      </section>
    </>
  );
}
