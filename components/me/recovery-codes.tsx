"use client";

import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";

/** Recovery codes, shown once: each signs in (or confirms it's you) once, in place of a code from the app. */
export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  return (
    <div className="space-y-3">
      <FormAlert tone="info">
        Keep these recovery codes somewhere safe (a password manager, or printed). Each one works once, in place of a code from your app, if you lose your
        phone. They are not shown again.
      </FormAlert>
      <ol aria-label="Recovery codes" className="grid grid-cols-2 gap-2 rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-sm">
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code">
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={SECONDARY_BUTTON} onClick={() => void navigator.clipboard?.writeText(codes.join("\n"))}>
          Copy the codes
        </button>
        <button type="button" className={SECONDARY_BUTTON} onClick={onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}
