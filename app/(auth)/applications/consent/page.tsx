import type { Metadata } from "next";
import { CLAIM_SET_LABELS } from "@/server/oidc/claim-set-labels";
import { readNotice } from "@/server/oidc/interaction-notices";

export const metadata: Metadata = { title: "Allow access" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * A third-party application's first sign-in: what it will learn about the
 * member. The answer is posted to Tenure's issuer (server/oidc/interaction.ts),
 * which checks the session and access again; a plain form, so it works
 * without JavaScript.
 */
export default async function ApplicationConsentPage({ searchParams }: { searchParams: TSearchParams }) {
  const notice = readNotice(first((await searchParams).notice), "consent");
  if (!notice?.action) {
    return (
      <>
        <h1 className="mb-2 text-2xl font-semibold">This sign-in has expired</h1>
        <p className="text-sm text-slate-700">Go back to the application and sign in again.</p>
      </>
    );
  }
  const decline = notice.action.replace(/\/consent$/, "/decline");
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">Allow {notice.application} to sign you in?</h1>
      <p className="mb-3 text-sm text-slate-700">{notice.application} will receive:</p>
      <ul className="mb-6 list-disc pl-5 text-sm text-slate-700">
        <li>An identifier for your account</li>
        {notice.claimSets.map((set) => (
          <li key={set}>{CLAIM_SET_LABELS[set] ?? set}</li>
        ))}
      </ul>
      <div className="flex gap-3">
        <form method="post" action={notice.action}>
          <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">
            Allow
          </button>
        </form>
        <form method="post" action={decline}>
          <button type="submit" className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">
            Don&apos;t allow
          </button>
        </form>
      </div>
      <p className="mt-4 text-xs text-slate-500">You are asked once; you can withdraw it later from your account page.</p>
    </>
  );
}
