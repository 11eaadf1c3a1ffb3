"use client";

import { useId, useState } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { formatDateTime } from "@/components/members/member-labels";
import { useTimeZone } from "@/components/date-time";

/**
 * The invitation link of a member without an email address (onboarded by
 * mobile): Tenure cannot mail it and sends no SMS, so the admin who invited
 * them is shown it once, to pass on. Only its hash is stored: it cannot be
 * shown again; "Resend invitation" makes a new one.
 */
export function InvitationHandOver({ link, expiresAt, fullName }: { link: string; expiresAt?: Date | null; fullName: string }) {
  const timeZone = useTimeZone();
  const fieldId = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <p className="font-semibold">{fullName} has no email address, so no invitation mail was sent.</p>
      <p>
        Give them this link yourself (a text message to their mobile, or in person): they choose their first password there. It works
        once{expiresAt ? `, until ${formatDateTime(expiresAt, timeZone)}` : " and for seven days"}, and is shown only now.
      </p>
      <label htmlFor={fieldId} className="block font-medium">
        Invitation link
      </label>
      <div className="flex flex-wrap gap-2">
        <input id={fieldId} readOnly value={link} className="min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-2 py-1 font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
        <button
          type="button"
          className={SECONDARY_BUTTON}
          onClick={() => {
            void navigator.clipboard?.writeText(link).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy link"}
        </button>
      </div>
    </div>
  );
}
