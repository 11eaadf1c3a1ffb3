import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

/** Puts the field errors a tRPC procedure returned (validation or conflicts) on the form's fields. */
export function applyServerFieldErrors<TValues extends FieldValues>(error: unknown, setError: UseFormSetError<TValues>): boolean {
  const fieldErrors = (error as { data?: { fieldErrors?: Record<string, string[] | undefined> | null } }).data?.fieldErrors;
  if (!fieldErrors) return false;
  let applied = false;
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const message = messages?.[0];
    if (!message) continue;
    setError(field as Path<TValues>, { type: "server", message });
    applied = true;
  }
  return applied;
}
