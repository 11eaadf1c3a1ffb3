import { getCountries, getCountryCallingCode } from "libphonenumber-js/max";
import type { ReactNode, SelectHTMLAttributes } from "react";
import { COUNTRY_NAMES } from "@/components/form/country-names";
import { SelectField } from "@/components/form/select-field";

/**
 * The options, the same text in every JavaScript engine: names from a fixed
 * table in a fixed order (no Intl, no localeCompare), so the server's HTML and
 * the browser's first render agree.
 */
export const COUNTRY_OPTIONS = countryOptions();

function countryOptions(): { value: string; label: string }[] {
  const known = new Set<string>(getCountries());
  const named = COUNTRY_NAMES.filter(([code]) => known.has(code));
  const listed = new Set(named.map(([code]) => code));
  const unnamed = [...known].filter((code) => !listed.has(code)).sort();
  return [...named, ...unnamed.map((code) => [code, code] as const)].map(([code, name]) => ({
    value: code,
    label: `${name} (+${getCountryCallingCode(code as Parameters<typeof getCountryCallingCode>[0])})`,
  }));
}

type TProps = SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string; hint?: ReactNode };

/** The country whose numbering plan a phone number follows, with its dialing code. */
export function CountrySelect(props: TProps) {
  return <SelectField {...props} options={COUNTRY_OPTIONS} emptyOption="Choose a country…" />;
}
