import { SECONDARY_BUTTON } from "@/components/form/button-styles";

/**
 * Someone else saved the record after this form was opened: the server refused the save (a CONFLICT without
 * field errors), and the form offers to load the saved values in place of what was typed.
 */
export function StaleEditNotice({ title, message, reloading, onReload }: { title: string; message: string; reloading: boolean; onReload: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 shadow-sm">
      <p className="font-semibold">{title}</p>
      <p className="mt-1">{message}</p>
      <p className="mt-1 text-amber-800">Reloading replaces what you typed here with the saved values.</p>
      <button type="button" disabled={reloading} onClick={onReload} className={`mt-3 ${SECONDARY_BUTTON}`}>
        {reloading ? "Reloading…" : "Reload"}
      </button>
    </div>
  );
}
