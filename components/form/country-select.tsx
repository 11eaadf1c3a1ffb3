import { getCountries, getCountryCallingCode } from "libphonenumber-js/max";
import type { SelectHTMLAttributes } from "react";

const names = new Intl.DisplayNames(["en"], { type: "region" });
const COUNTRIES = getCountries()
  .map((code) => ({ code, label: `${names.of(code) ?? code} (+${getCountryCallingCode(code)})` }))
  .sort((a, b) => a.label.localeCompare(b.label, "en"));

type TProps = SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string };

/** The country whose numbering plan a phone number follows, with its dialing code. */
export function CountrySelect({ label, error, id, ...select }: TProps) {
  const selectId = id ?? select.name;
  return (
    <div className="space-y-1">
      <label htmlFor={selectId} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={selectId}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${selectId}-error` : undefined}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm outline-none focus:ring-2 focus:ring-brand-600 ${
          error ? "border-red-500" : "border-slate-300"
        }`}
        {...select}
      >
        <option value="">Choose a country…</option>
        {COUNTRIES.map((country) => (
          <option key={country.code} value={country.code}>
            {country.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${selectId}-error`} role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
