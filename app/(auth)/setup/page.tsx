import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/components/form/setup-form";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  const caller = await serverCaller();
  if (!(await caller.setup.status()).needed) redirect("/sign-in");
  return (
    <>
      <h1 className="text-2xl font-semibold">Set up Tenure</h1>
      <p className="mb-6 mt-1 text-sm text-slate-600">Create your organisation and its first administrator. This page disappears once done.</p>
      <SetupForm />
    </>
  );
}
