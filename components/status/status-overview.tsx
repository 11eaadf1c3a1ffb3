import { CurrentStateCards } from "@/components/status/current-state-cards";
import { OnlineTimePanel } from "@/components/status/online-time-panel";
import { PasswordPanel } from "@/components/status/password-panel";
import { SignInIncidentsPanel } from "@/components/status/sign-in-incidents-panel";

/** The organisation's state now: each panel loads (and fails) on its own. */
export function StatusOverview() {
  return (
    <div className="space-y-4">
      <CurrentStateCards />
      <SignInIncidentsPanel />
      <div className="grid gap-4 lg:grid-cols-2">
        <OnlineTimePanel />
        <PasswordPanel />
      </div>
    </div>
  );
}
