import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SuccessStatus } from "@/components/form/success-status";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { LifecyclePanel } from "@/components/lifecycle/lifecycle-panel";
import { loadMember, type TLoadedMember } from "@/components/members/load-member";
import { compareFields, fieldLabel, roleLabel } from "@/components/members/member-labels";
import { MemberAccess } from "@/components/members/member-access";
import { MemberApplicationAccounts } from "@/components/provisioning/member-application-accounts";
import { MemberOrganisation } from "@/components/members/member-organisation";
import { MemberProfile } from "@/components/members/member-profile";
import { MemberInvitation } from "@/components/onboarding/member-invitation";
import { MemberSessions } from "@/components/members/member-sessions";
import { MemberSignInThrottle } from "@/components/members/member-sign-in-throttle";
import { MemberMfa } from "@/components/members/member-mfa";
import { MemberTabs, parseMemberTab, type TMemberTab } from "@/components/members/member-tabs";
import { MemberTimeline } from "@/components/members/member-timeline";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

type TParams = Promise<{ memberId: string }>;
type TSearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const member = await loadMember((await params).memberId);
  return { title: member.fullName };
}

/**
 * Archived and deleted members are read-only: the tabs' controls that change
 * relations are disabled as a group (a disabled fieldset disables every
 * button and field inside), and the server refuses such changes anyway.
 */
function ReadOnly({ when, children }: { when: boolean; children: ReactNode }) {
  if (!when) return children;
  return (
    <fieldset disabled aria-label="Read-only" className="contents">
      {children}
    </fieldset>
  );
}

/** The notice a form leaves behind when it brings the admin here (`?created=1`, `?saved=field,field`). */
function notice(query: Record<string, string | string[] | undefined>): string | null {
  if (first(query.created) === "1") return "Member created.";
  if (first(query.onboarded) === "1") return "Member created. Invitation sent.";
  const saved = first(query.saved);
  if (saved === undefined) return null;
  const changed = [...new Set(saved.split(",").filter(Boolean).sort(compareFields).map(fieldLabel))];
  return changed.length === 0 ? "Saved. Nothing changed." : `Saved. Changed: ${changed.join(", ")}.`;
}

function TabContent({ tab, member, isSelf }: { tab: TMemberTab; member: TLoadedMember; isSelf: boolean }) {
  const readOnly = member.state === "archived" || member.state === "deleted";
  switch (tab) {
    case "profile":
      return (
        <div className="space-y-4">
          <MemberInvitation memberId={member.id.toString()} />
          <MemberProfile member={member} />
        </div>
      );
    case "organisation":
      return (
        <ReadOnly when={readOnly}>
          <MemberOrganisation member={member} />
        </ReadOnly>
      );
    case "access":
      return (
        <ReadOnly when={readOnly}>
          <div className="space-y-4">
            <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
              System role: <span className="font-medium">{roleLabel(member.role)}</span>{" "}
              <span className="text-slate-500">(changed through Edit)</span>
            </p>
            <MemberAccess memberId={member.id.toString()} memberName={member.fullName} />
            <MemberApplicationAccounts memberId={member.id.toString()} />
          </div>
        </ReadOnly>
      );
    case "sessions":
      return (
        <div className="space-y-6">
          <MemberMfa memberId={member.id.toString()} memberName={member.fullName} isSelf={isSelf} />
          <MemberSessions memberId={member.id.toString()} memberName={member.fullName} />
        </div>
      );
    case "timeline":
      return <MemberTimeline memberId={member.id.toString()} />;
  }
}

export default async function MemberPage({ params, searchParams }: { params: TParams; searchParams: TSearchParams }) {
  const session = await requireAdminSession();
  const [{ memberId }, query] = await Promise.all([params, searchParams]);
  const member = await loadMember(memberId);
  const id = member.id.toString();
  const lifecycle = await (await serverCaller()).lifecycle.ofMember({ memberId: id });
  const editable = member.state !== "archived" && member.state !== "deleted";
  const tab = parseMemberTab(first(query.tab));
  const message = notice(query);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-slate-600">
        <Link href="/console/members" className="hover:underline">
          Members
        </Link>
        {member.state === "deleted" ? (
          <>
            <span aria-hidden="true">/</span>
            <Link href="/console/members/recycle-bin" className="hover:underline">
              Recycle bin
            </Link>
          </>
        ) : null}
      </nav>
      <PageHeader
        title={member.fullName}
        description={`${member.username} · ${roleLabel(member.role)}${member.title ? ` · ${member.title}` : ""}`}
        actions={
          editable ? (
            <Link href={`/console/members/${id}/edit`} className={PRIMARY_BUTTON}>
              Edit
            </Link>
          ) : null
        }
      />
      {message ? (
        <div className="mb-4">
          <SuccessStatus message={message}>
            {" "}
            <Link href={`/console/members/${id}?tab=${tab}`} className="ml-2 font-medium underline" scroll={false}>
              Dismiss
            </Link>
          </SuccessStatus>
        </div>
      ) : null}
      <LifecyclePanel
        member={{ id, fullName: member.fullName, username: member.username }}
        initial={lifecycle}
        isSelf={member.id === session.member.id}
      />
      <MemberSignInThrottle memberId={id} />
      <MemberTabs memberId={id} active={tab} />
      <TabContent tab={tab} member={member} isSelf={member.id === session.member.id} />
    </>
  );
}
