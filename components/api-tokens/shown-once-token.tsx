"use client";

import { useState } from "react";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";

/** A new token, shown this once: copy it now, Tenure keeps only its hash. */
export function ShownOnceToken({ name, token, onClose }: { name: string; token: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <ModalDialog title={`API token "${name}" created`} onClose={onClose} wide>
      <p className="text-sm text-slate-700">Copy the token now and keep it in the system that uses it. You won&apos;t see it again: Tenure keeps only a hash of it.</p>
      <label className="mt-3 block text-sm font-medium text-slate-700">
        Token
        <input readOnly value={token} data-autofocus onFocus={(event) => event.currentTarget.select()} className="mt-1 block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm" />
      </label>
      <div className="mt-4 flex flex-wrap gap-2">
        <button
          type="button"
          className={SECONDARY_BUTTON}
          onClick={() => {
            void navigator.clipboard?.writeText(token).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className={PRIMARY_BUTTON} onClick={onClose}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}
