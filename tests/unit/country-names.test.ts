import { getCountries } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { COUNTRY_NAMES, countryName } from "@/components/form/country-names";
import { COUNTRY_OPTIONS } from "@/components/form/country-select";
import { countryLabel } from "@/components/members/member-labels";

// The country list is rendered on the server and again in the browser: its text
// must not come from the engine's ICU data (Node and Chromium name Hong Kong,
// Macao, Palestine and the Falklands differently), or hydration fails (React #418).

describe("country names", () => {
  it("names every country the phone library knows, once", () => {
    const named = COUNTRY_NAMES.map(([code]) => code);
    expect(new Set(named).size).toBe(named.length);
    expect(getCountries().filter((code) => !named.includes(code))).toEqual([]);
  });

  it("lists the options in the table's fixed order, with dialing codes", () => {
    expect(COUNTRY_OPTIONS).toHaveLength(getCountries().length);
    expect(COUNTRY_OPTIONS.find((option) => option.value === "HK")?.label).toBe("Hong Kong SAR China (+852)");
    expect(COUNTRY_OPTIONS.findIndex((o) => o.value === "AF")).toBeLessThan(COUNTRY_OPTIONS.findIndex((o) => o.value === "ZW"));
  });


  it("labels a stored country code by the table's name", () => {
    expect(countryName("hk")).toBe("Hong Kong SAR China");
    expect(countryLabel("PS")).toBe("Palestinian Territories (PS)");
    expect(countryLabel("XX")).toBe("XX");
  });
});
