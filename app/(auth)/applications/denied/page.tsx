import type { Metadata } from "next";
import { readNotice } from "@/server/oidc/interaction-notices";

export const metadata: Metadata = { title: "No access" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Where Tenure's issuer sends a member who may not sign in to an application (server/oidc/interaction.ts). */
export default async function ApplicationDeniedPage({ searchParams }: { searchParams: TSearchParams }) {
  const notice = readNotice(first((await searchParams).notice), "denied");
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">No access</h1>
      <p className="text-sm text-slate-700">
        {notice ? <>You don&apos;t have access to {notice.application}.</> : <>You don&apos;t have access to this application.</>} Ask your administrator.
      </p>
    </>
  );
}
