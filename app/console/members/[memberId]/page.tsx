import type { Metadata } from "next";
import Link from "next/link";
import { FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { loadMember, type TLoadedMember } from "@/components/members/load-member";
import { compareFields, fieldLabel, roleLabel } from "@/components/members/member-labels";
import { MemberAccess } from "@/components/members/member-access";
import { MemberOrganisation } from "@/components/members/member-organisation";
import { MemberProfile } from "@/components/members/member-profile";
import { MemberTabs, parseMemberTab, type TMemberTab } from "@/components/members/member-tabs";
import { MemberTimeline } from "@/components/members/member-timeline";
import { NotBuiltYet, PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

type TParams = Promise<{ memberId: string }>;
type TSearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const member = await loadMember((await params).memberId);
  return { title: member.fullName };
}

function StatusBadge({ member }: { member: TLoadedMember }) {
  if (!member.enabled) return <span className="rounded bg-slate-200 px-2 py-0.5 text-xs text-slate-700">Disabled</span>;
  if (member.locked) return <span className="rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-800">Locked</span>;
  return <span className="rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">Active</span>;
}

/** The notice a form leaves behind when it brings the admin here (`?created=1`, `?saved=field,field`). */
function notice(query: Record<string, string | string[] | undefined>): string | null {
  if (first(query.created) === "1") return "Member created.";
  const saved = first(query.saved);
  if (saved === undefined) return null;
  const changed = [...new Set(saved.split(",").filter(Boolean).sort(compareFields).map(fieldLabel))];
  return changed.length === 0 ? "Saved. Nothing changed." : `Saved. Changed: ${changed.join(", ")}.`;
}

function TabContent({ tab, member }: { tab: TMemberTab; member: TLoadedMember }) {
  switch (tab) {
    case "profile":
      return <MemberProfile member={member} />;
    case "organisation":
      return <MemberOrganisation member={member} />;
    case "access":
      return (
        <div className="space-y-4">
          <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
            System role: <span className="font-medium">{roleLabel(member.role)}</span>{" "}
            <span className="text-slate-500">(changed through Edit)</span>
          </p>
          <MemberAccess memberId={member.id.toString()} memberName={member.fullName} />
        </div>
      );
    case "sessions":
      return <NotBuiltYet feature="This member's sessions and ending them from here" plannedIn="the lifecycle and sign-in security work" />;
    case "timeline":
      return <MemberTimeline memberId={member.id.toString()} />;
  }
}

export default async function MemberPage({ params, searchParams }: { params: TParams; searchParams: TSearchParams }) {
  await requireAdminSession();
  const [{ memberId }, query] = await Promise.all([params, searchParams]);
  const member = await loadMember(memberId);
  const id = member.id.toString();
  const tab = parseMemberTab(first(query.tab));
  const message = notice(query);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/console/members" className="text-slate-600 hover:underline">
          Members
        </Link>
      </nav>
      <PageHeader
        title={member.fullName}
        description={`${member.username} · ${roleLabel(member.role)}${member.title ? ` · ${member.title}` : ""}`}
        actions={
          <div className="flex items-center gap-3">
            <StatusBadge member={member} />
            <Link href={`/console/members/${id}/edit`} className={PRIMARY_BUTTON}>
              Edit
            </Link>
          </div>
        }
      />
      {message ? (
        <div className="mb-4">
          <FormAlert tone="success">
            {message}{" "}
            <Link href={`/console/members/${id}?tab=${tab}`} className="ml-2 font-medium underline" scroll={false}>
              Dismiss
            </Link>
          </FormAlert>
        </div>
      ) : null}
      <MemberTabs memberId={id} active={tab} />
      <TabContent tab={tab} member={member} />
    </>
  );
}
