import type { Metadata } from "next";
import type { ReactNode } from "react";
import { DateTime } from "@/components/date-time";
import { OwnProfileForm } from "@/components/me/own-profile-form";
import { MemberProfile } from "@/components/members/member-profile";
import { PageHeader } from "@/components/page-header";
import { requireSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";
import { isManaged } from "@/components/form/managed-field";
import type { TManagedField } from "@/server/shared/managed-fields";

export const metadata: Metadata = { title: "My profile" };

/** Every field of the member's own record; the ones the organisation allows are edited above it. */
export default async function MyProfilePage() {
  await requireSession();
  const caller = await serverCaller();
  const [profile, editableFields] = await Promise.all([caller.me.get(), caller.selfService.editableFields()]);
  // Fields the member's directory fills say so: they are changed in the directory, not here.
  const managed = (field: TManagedField, value: ReactNode): ReactNode =>
    isManaged(profile.managedBy, field) ? (
      <>
        {value} <span className="ml-1 text-xs font-normal text-slate-600">Managed by {profile.managedBy?.directoryName}</span>
      </>
    ) : (
      value
    );
  const summary: [string, ReactNode][] = [
    ["Full name", managed("fullName", profile.fullName)],
    ["Username", managed("username", profile.username)],
    ["Email", managed("email", profile.email ?? "None (you sign in with your mobile number or username)")],
    ["Organisation", profile.tenantName],
    ["Role", profile.role.charAt(0).toUpperCase() + profile.role.slice(1)],
    ["Member since", <DateTime key="since" value={profile.createdAt} />],
  ];
  return (
    <>
      <PageHeader title="My profile" description="Your details as your organisation holds them. Password, two-step verification and sessions are under Security." />
      <div className="space-y-6">
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
          {summary.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-600">{label}</dt>
              <dd className="font-medium" data-testid={`profile-${label.toLowerCase().replaceAll(" ", "-")}`}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
        {editableFields.length > 0 ? (
          <OwnProfileForm
            editableFields={editableFields}
            managedBy={profile.managedBy}
            initial={{
              expectedLastModifiedDate: profile.updatedAt,
              mobile: profile.mobile ?? "",
              country: profile.country ?? "",
              landline: profile.landline ?? "",
              address: profile.address ?? "",
              title: profile.title ?? "",
              gender: profile.gender ?? "",
              avatarUrl: profile.avatarUrl ?? "",
            }}
          />
        ) : (
          <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600">
            Your organisation keeps every field of your profile with its administrators. Ask them to change anything that is wrong.
          </p>
        )}
        <MemberProfile
          member={profile}
          note="Everything your organisation holds about you. Fields you may change are in the form above; for anything else, ask an administrator. Times are in your browser's time zone."
        />
      </div>
    </>
  );
}
