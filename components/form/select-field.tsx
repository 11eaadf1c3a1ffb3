import type { ReactNode, SelectHTMLAttributes } from "react";

type TOption = { value: string; label: string; disabled?: boolean };
type TSelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  options: readonly TOption[];
  /** The first, empty choice ("Not given"); leave out when a value is required. */
  emptyOption?: string;
  error?: string;
  hint?: ReactNode;
};

/** A labelled select, built like `Field`: its error or hint under it, tied to it for screen readers. */
export function SelectField({ label, options, emptyOption, error, hint, id, ...select }: TSelectFieldProps) {
  const selectId = id ?? select.name;
  const describedBy = error ? `${selectId}-error` : hint ? `${selectId}-hint` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={selectId} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={selectId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm outline-none focus:ring-2 focus:ring-brand-600 disabled:bg-slate-100 disabled:text-slate-600 ${
          error ? "border-red-500" : "border-slate-300"
        }`}
        {...select}
      >
        {emptyOption !== undefined ? <option value="">{emptyOption}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${selectId}-error`} role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : hint ? (
        <p id={`${selectId}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
