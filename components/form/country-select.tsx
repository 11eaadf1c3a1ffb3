import { getCountries, getCountryCallingCode } from "libphonenumber-js/max";
import type { SelectHTMLAttributes } from "react";
import { SelectField } from "@/components/form/select-field";

const names = new Intl.DisplayNames(["en"], { type: "region" });
const COUNTRIES = getCountries()
  .map((code) => ({ value: code, label: `${names.of(code) ?? code} (+${getCountryCallingCode(code)})` }))
  .sort((a, b) => a.label.localeCompare(b.label, "en"));

type TProps = SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string };

/** The country whose numbering plan a phone number follows, with its dialing code. */
export function CountrySelect(props: TProps) {
  return <SelectField {...props} options={COUNTRIES} emptyOption="Choose a country…" />;
}
