// Pure helpers of the SPA, run under Node: reading phone numbers and the strength estimate.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { countries, countryByIso, countryName, formatNational, guessCountry, readPhone, searchCountries } from "../../src/web/ui/phone";
import { estimateStrength } from "../../src/web/ui/strength-estimate";
import { exhaustedFor } from "../../src/web/api";

describe("phone input helpers", () => {
  const us = countryByIso("US");
  const es = countryByIso("ES");

  it("knows every country libphonenumber knows, and the committed table is current", async () => {
    // @ts-expect-error plain JS generator
    const { source } = await import("../../scripts/build-calling-codes.mjs");
    expect(readFileSync(new URL("../../src/web/ui/calling-codes.ts", import.meta.url), "utf8")).toBe(source);
    const metadata = createRequire(import.meta.url)("libphonenumber-js/metadata.min.json") as { countries: Record<string, [string]> };
    expect(countries.map((c) => c.iso).sort()).toEqual(Object.keys(metadata.countries).sort());
    for (const [iso, [dial]] of Object.entries(metadata.countries)) expect(countryByIso(iso).dial, iso).toBe(dial);
  });

  it("defaults to the server's country, then the browser language region, then the base language", () => {
    expect(guessCountry("BR", ["es-MX"]).iso).toBe("BR");
    expect(guessCountry(null, ["es-MX", "en"]).iso).toBe("MX");
    expect(guessCountry(null, ["en-GB"]).iso).toBe("GB");
    expect(guessCountry(null, ["es"]).iso).toBe("ES");
    expect(guessCountry(null, ["en"]).iso).toBe("US");
    expect(guessCountry("ZZ", ["xx-ZZ"]).iso).toBe("US");
    // A deployment that accepts only some countries never defaults outside them.
    expect(guessCountry("BR", ["en-US"], ["ES", "MX"]).iso).toBe("ES");
    expect(guessCountry(null, ["es-MX"], ["ES", "MX"]).iso).toBe("MX");
  });

  it("groups digits as they are typed", () => {
    expect(formatNational("555", us)).toBe("555");
    expect(formatNational("5551", us)).toBe("555 1");
    expect(formatNational("5551234567", us)).toBe("555 123 4567");
    expect(formatNational("612345678", es)).toBe("612 345 678");
    expect(formatNational("12345678", countryByIso("NL"))).toBe("123 456 78");
  });

  it("reads a national number in the selected country, without its trunk prefix", () => {
    expect(readPhone("(555) 123-4567", us)).toMatchObject({
      country: us,
      digits: "5551234567",
      international: false,
      e164: "+15551234567",
      display: "555 123 4567",
    });
    expect(readPhone("07700 900123", countryByIso("GB")).e164).toBe("+447700900123");
    expect(readPhone("06 1234 5678", countryByIso("IT")).e164).toBe("+390612345678"); // Italy keeps its 0
    expect(readPhone("8 912 345 67 89", countryByIso("RU")).e164).toBe("+79123456789");
    expect(readPhone("1".repeat(40), us).digits).toHaveLength(15);
    expect(readPhone("<script>", us)).toMatchObject({ digits: "", e164: "" });
  });

  it("reads typed or pasted international numbers as what they are, never as the selected country", () => {
    expect(readPhone("+55 11 91234 5678", us)).toMatchObject({ country: countryByIso("BR"), international: true, e164: "+5511912345678" });
    expect(readPhone("0044 7700 900123", es)).toMatchObject({ country: countryByIso("GB"), e164: "+447700900123", display: "+44 7700 900123" });
    expect(readPhone("011 44 7700 900123", us).e164).toBe("+447700900123"); // North America's own prefix
    expect(readPhone("+44 (0)7700 900123", es).e164).toBe("+447700900123");
    expect(readPhone("+34 612 34 56 78", us)).toMatchObject({ country: es, digits: "612345678", e164: "+34612345678" });
    // Shared codes: leading digits pick the country, else the main one (or the selected one if it shares the code).
    expect(readPhone("+1 268 464 1234", es).country.iso).toBe("AG");
    expect(readPhone("+1 415 555 0100", es).country.iso).toBe("US");
    expect(readPhone("+1 416 555 0100", countryByIso("CA")).country.iso).toBe("CA");
    expect(readPhone("+7 701 123 4567", es).country.iso).toBe("KZ");
    // Typing in progress: no country code yet.
    expect(readPhone("+", us)).toMatchObject({ e164: "", display: "+" });
    expect(readPhone("+5", us)).toMatchObject({ e164: "", display: "+5", country: us });
  });

  it("searches countries by name (any accents), calling code and ISO code", () => {
    const name = (iso: string) => countryName(iso, "es");
    expect(searchCountries(countries, "mexico", name).map((c) => c.iso)).toEqual(["MX"]);
    expect(searchCountries(countries, "+55", name).map((c) => c.iso)).toEqual(["BR"]);
    expect(searchCountries(countries, "44", name).map((c) => c.iso)).toEqual(expect.arrayContaining(["GB", "JE", "GG", "IM"]));
    expect(searchCountries(countries, "br", name).map((c) => c.iso)).toContain("BR");
    expect(searchCountries(countries, "", name)).toHaveLength(countries.length);
    expect(countryName("GB", "en")).toBe("United Kingdom");
  });
});

describe("password strength estimate", () => {
  it("is too short below the policy minimum, counting code points", () => {
    expect(estimateStrength("short", 15).key).toBe("tooShort");
    expect(estimateStrength("😀".repeat(14), 15).key).toBe("tooShort");
  });

  it("calls repeats and runs weak even when long", () => {
    expect(estimateStrength("a".repeat(20), 15).key).toBe("weak");
    expect(estimateStrength("abcabcabcabcabcabc", 15).key).toBe("weak");
    expect(estimateStrength("abcdefghijklmnopq", 15).key).toBe("weak");
  });

  it("rates long varied passphrases good or strong", () => {
    expect(["good", "strong"]).toContain(estimateStrength("lantern orchard velvet 2187", 15).key);
    expect(estimateStrength("correcthorsebatt", 15).score).toBeGreaterThanOrEqual(2);
  });
});

describe("the resend wait from the server's RateLimit header", () => {
  it("is the reset time once the budget is used up, else nothing", () => {
    expect(exhaustedFor('"target-60s";r=0;t=58')).toBe(58);
    expect(exhaustedFor('"target-60s";r=1;t=58')).toBeUndefined();
    expect(exhaustedFor('"target-60s";r=10;t=5')).toBeUndefined();
    expect(exhaustedFor(null)).toBeUndefined();
    expect(exhaustedFor("garbage;r=0")).toBeUndefined();
  });
});
