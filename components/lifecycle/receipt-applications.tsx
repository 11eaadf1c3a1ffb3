import { DateTime } from "@/components/date-time";
import type { TReceiptApplication } from "@/server/application-sessions/receipt-applications";

type TLogout = TReceiptApplication["logouts"][number];

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** One back-channel logout as the receipt reads it: delivered (when, HTTP status), still being retried, or given up. */
function LogoutLine({ logout }: { logout: TLogout }) {
  if (logout.status === "delivered" && logout.deliveredAt) {
    return (
      <span>
        logout delivered <DateTime value={logout.deliveredAt} /> (HTTP {logout.httpStatus})
      </span>
    );
  }
  const last = logout.error ? `; last: ${logout.error}` : "";
  if (logout.status === "failed") return <span className="font-medium text-rose-800">logout not delivered after {plural(logout.attempts, "attempt")}{last}</span>;
  return <span className="text-amber-800">logout pending{logout.attempts > 0 ? ` (retrying after ${plural(logout.attempts, "attempt")}${last})` : ""}</span>;
}

/**
 * The applications' part of an access receipt: for each application the
 * member could sign in to, the tokens revoked and each back-channel logout.
 */
export function ReceiptApplications({ applications }: { applications: TReceiptApplication[] }) {
  if (applications.length === 0) return <span className="italic text-slate-500">none signed in</span>;
  return (
    <ul className="space-y-0.5">
      {applications.map((application) => (
        <li key={application.applicationId} data-testid="receipt-application">
          <span className="font-medium">{application.name}</span>: {plural(application.tokensRevoked, "token")} revoked
          {application.logouts.length === 0 ? (
            <span className="text-slate-600">; no back-channel logout to send</span>
          ) : (
            application.logouts.map((logout, index) => (
              <span key={index}>
                ; <LogoutLine logout={logout} />
              </span>
            ))
          )}
        </li>
      ))}
    </ul>
  );
}
