// The trimmed metadata (scripts/build-phone-metadata.mjs) must parse exactly like the
// package's full "mobile" metadata: every country's example mobile number, written
// nationally, with a national prefix, spaced, and in E.164.
import { parsePhoneNumberWithError, type CountryCode, type MetadataJson } from "libphonenumber-js/core";
import examples from "libphonenumber-js/examples.mobile.json";
import full from "libphonenumber-js/metadata.mobile.json";
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadPhoneMetadata, PHONE_METADATA_ASSET } from "../../src/auth/phone-metadata";
import trimmed from "../../src/auth/phone-metadata.json";
import { parsePhoneNumber, type PhoneMetadata } from "../../src/auth/phone-number";

const read = (text: string, country: string | undefined, md: MetadataJson) => {
  try {
    const p = parsePhoneNumberWithError(text, { defaultCountry: country as CountryCode | undefined, extract: false }, md);
    return `${p.number}|${p.country}|${p.isValid()}|${p.getType()}`;
  } catch (e) {
    return (e as Error).message;
  }
};

describe("trimmed phone metadata", () => {
  it("agrees with the full mobile metadata for every country's example", () => {
    const differences: string[] = [];
    let compared = 0;
    for (const [country, national] of Object.entries(examples as Record<string, string>)) {
      const intl = read(national, country, full as MetadataJson).split("|")[0]!;
      for (const [text, region] of [
        [national, country],
        [`0${national}`, country],
        [national.replace(/(\d{3})/g, "$1 "), country],
        [intl, undefined],
      ] as const) {
        compared++;
        const a = read(text, region, full as MetadataJson);
        const b = read(text, region, trimmed as unknown as MetadataJson);
        if (a !== b) differences.push(`${country} ${text}: ${a} vs ${b}`);
      }
    }
    expect(compared).toBeGreaterThan(900);
    expect(differences).toEqual([]);
  });

  it("accepts every country's example mobile number through parsePhoneNumber", () => {
    const refused = Object.entries(examples as Record<string, string>)
      .map(([country, national]) => [country, parsePhoneNumber(trimmed as unknown as PhoneMetadata, national, country)] as const)
      .filter(([, r]) => !r.ok);
    expect(refused).toEqual([]);
  });

  it("the Worker reads exactly this file from its static assets", async () => {
    expect(await loadPhoneMetadata(env.ASSETS)).toEqual(trimmed);
  });

  it("a missing or wrong file is an error, never an empty country list", async () => {
    const assets = (contentType: string, body: string) =>
      ({ fetch: async () => new Response(body, { headers: { "content-type": contentType } }) }) as unknown as Fetcher;
    // Without the file, the assets binding answers the SPA's index.html with 200.
    await expect(loadPhoneMetadata(assets("text/html", "<!doctype html>"))).rejects.toThrow(PHONE_METADATA_ASSET);
    await expect(loadPhoneMetadata(assets("application/json", '{"countries":{}}'))).rejects.toThrow(/not libphonenumber-js metadata/);
  });
});
