"use client";

import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { useHydrated } from "@/components/form/use-hydrated";

/**
 * A form's submit button (disabled while sending and until React runs, see
 * useHydrated) with an optional Cancel beside it.
 */
export function FormActions({
  label,
  pendingLabel,
  pending,
  disabled = false,
  onCancel,
}: {
  label: string;
  pendingLabel: string;
  pending: boolean;
  disabled?: boolean;
  onCancel?: () => void;
}) {
  const hydrated = useHydrated();
  return (
    <div className="flex flex-wrap gap-2">
      <button type="submit" disabled={pending || disabled || !hydrated} className={PRIMARY_BUTTON}>
        {pending ? pendingLabel : label}
      </button>
      {onCancel ? (
        <button type="button" disabled={pending} onClick={onCancel} className={SECONDARY_BUTTON}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
