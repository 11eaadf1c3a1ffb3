import type { Metadata } from "next";
import Link from "next/link";
import { DirectoryList } from "@/components/directories/directory-list";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "Directories" };

export default async function DirectoriesPage() {
  const session = await requireAdminSession();
  const isOwner = session.member.sysAdmin >= SYSTEM_ROLE.owner;
  return (
    <>
      <PageHeader
        title="Directories"
        description="LDAP and Active Directory servers that members come from. Owners connect, change and delete them; every admin can test and preview them."
        actions={
          isOwner ? (
            <Link href="/console/settings/directories/new" className={PRIMARY_BUTTON}>
              Connect a directory
            </Link>
          ) : null
        }
      />
      <DirectoryList />
    </>
  );
}
