import type { Metadata } from "next";
import { MyApplications } from "@/components/me/my-applications";
import { PageHeader } from "@/components/page-header";
import { requireSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "My applications" };

/** The applications the member signs in to through Tenure, and their sessions there. */
export default async function MyApplicationsPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Applications" description="The applications you sign in to with your Tenure account. Ending a session signs you out of that application on every device." />
      <MyApplications />
    </>
  );
}
