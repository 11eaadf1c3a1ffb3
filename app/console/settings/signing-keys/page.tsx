import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { SigningKeysPanel } from "@/components/applications/signing-keys-panel";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "Signing keys" };

export default async function SigningKeysPage() {
  const session = await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Signing keys"
        description="The keys that sign the ID tokens and logout tokens of every organisation's sign-in. The next key is published before it signs, so applications already know it on the day of a rotation."
      />
      <SigningKeysPanel canRotate={session.member.sysAdmin >= SYSTEM_ROLE.owner} />
    </>
  );
}
