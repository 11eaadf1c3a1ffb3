import { redirect } from "next/navigation";
import { currentSession } from "@/server/auth/current-session";
import { isTenantAdmin } from "@/server/shared/roles";
import { serverCaller } from "@/server/trpc/server-caller";

export default async function HomePage() {
  const caller = await serverCaller();
  if ((await caller.setup.status()).needed) redirect("/setup");
  const check = await currentSession();
  if (!check.live) redirect("/sign-in");
  redirect(isTenantAdmin(check.session.member.sysAdmin) ? "/console" : "/me");
}
