import { CurrentStateCards } from "@/components/status/current-state-cards";
import { OnlineTimePanel } from "@/components/status/online-time-panel";
import { PasswordPanel } from "@/components/status/password-panel";
import { SignInIncidentsPanel } from "@/components/status/sign-in-incidents-panel";

/** The organisation's state now: each panel loads (and fails) on its own. `pendingAlerts`: the admin's unread alerts, null until alerts exist. */
export function StatusOverview({ pendingAlerts }: { pendingAlerts: number | null }) {
  return (
    <div className="space-y-4">
      <CurrentStateCards pendingAlerts={pendingAlerts} />
      <SignInIncidentsPanel />
      <div className="grid gap-4 lg:grid-cols-2">
        <OnlineTimePanel />
        <PasswordPanel />
      </div>
    </div>
  );
}
