import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";

export type TNormalisedMobile = { mobile: string; itc: string; country: string | null };

/**
 * A mobile number as entered (national with a country, or international with
 * "+") in E.164 form with its dialing code and country, or null when it is not
 * a valid number. Uses the full metadata: the right length is not enough.
 */
export function normaliseMobile(raw: string, country?: string | null): TNormalisedMobile | null {
  const region = country?.toUpperCase();
  const supportedRegion = region && isSupportedCountry(region) ? region : undefined;
  if (region && !supportedRegion) return null;
  const parsed = parsePhoneNumberFromString(raw, supportedRegion);
  if (!parsed?.isValid()) return null;
  // Several countries share a dialing code (GB, GG, JE…): keep the one chosen when it fits.
  const chosenFits = supportedRegion !== undefined && getCountryCallingCode(supportedRegion) === parsed.countryCallingCode;
  return { mobile: parsed.number, itc: `+${parsed.countryCallingCode}`, country: chosenFits ? supportedRegion : (parsed.country ?? null) };
}
