// Pure helpers of the SPA, run under Node: phone formatting and the strength estimate.
import { describe, expect, it } from "vitest";
import { countryByIso, formatNational, guessCountry, parseTyped, toE164 } from "../../src/web/ui/phone";
import { estimateStrength } from "../../src/web/ui/strength-estimate";

describe("phone input helpers", () => {
  it("guesses the country from the browser language region, then the base language", () => {
    expect(guessCountry(["es-MX", "en"]).iso).toBe("MX");
    expect(guessCountry(["en-GB"]).iso).toBe("GB");
    expect(guessCountry(["es"]).iso).toBe("ES");
    expect(guessCountry(["en"]).iso).toBe("US");
    expect(guessCountry(["xx-ZZ"]).iso).toBe("US");
  });

  it("groups digits as they are typed", () => {
    const us = countryByIso("US");
    expect(formatNational("555", us)).toBe("555");
    expect(formatNational("5551", us)).toBe("555 1");
    expect(formatNational("5551234567", us)).toBe("555 123 4567");
    expect(formatNational("612345678", countryByIso("ES"))).toBe("612 345 678");
  });

  it("drops punctuation and letters, and switches country on a pasted +code", () => {
    expect(parseTyped("(555) 123-4567", countryByIso("US"))).toEqual({ country: countryByIso("US"), digits: "5551234567" });
    const pasted = parseTyped("+34 612 34 56 78", countryByIso("US"));
    expect(pasted.country.iso).toBe("ES");
    expect(pasted.digits).toBe("612345678");
    expect(parseTyped("1".repeat(40), countryByIso("US")).digits).toHaveLength(14);
    expect(parseTyped("<script>", countryByIso("US")).digits).toBe("");
  });

  it("produces E.164 for the API, without a national trunk 0", () => {
    expect(toE164("5551234567", countryByIso("US"))).toBe("+15551234567");
    expect(toE164("07700900123", countryByIso("GB"))).toBe("+447700900123");
    expect(toE164("", countryByIso("US"))).toBe("");
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
