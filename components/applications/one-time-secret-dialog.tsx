"use client";

import { useId } from "react";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";
import { CopyValue } from "@/components/applications/copy-value";

/**
 * A new client secret, the one time it exists outside the application: only
 * its hash is stored, so closing this dialog is the last chance to copy it.
 */
export function OneTimeSecretDialog({ applicationName, secret, clientId, note, onClose }: { applicationName: string; secret: string; clientId: string; note?: string; onClose: () => void }) {
  const descriptionId = useId();
  return (
    <ModalDialog title={`Client secret of ${applicationName}`} describedBy={descriptionId} onClose={onClose}>
      <div className="space-y-4 text-sm">
        <p id={descriptionId} className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <strong>Copy it now: you won&apos;t see it again.</strong> Tenure keeps only a fingerprint of it. Put it in the application&apos;s
          configuration with the client id; if it is lost, rotate the secret to get a new one.
        </p>
        {note ? <p className="text-slate-700">{note}</p> : null}
        <CopyValue label="Client id" value={clientId} />
        <CopyValue label="Client secret" value={secret} tone="secret" />
        <div className="flex justify-end">
          <button type="button" className={PRIMARY_BUTTON} data-autofocus onClick={onClose}>
            I have copied it
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
