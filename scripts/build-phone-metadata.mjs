// Builds src/auth/phone-metadata.json: libphonenumber-js's "mobile" metadata without the
// national formatting rules (field 4 of each country), which only formatting uses — we
// parse, validate and store E.164, and never format. Measured: 23.7 -> 14.7 KiB gzip.
// Run after upgrading libphonenumber-js: `npm run build:phone-metadata` (the test
// test/auth/phone-metadata.test.ts checks every example number still parses the same).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const source = JSON.parse(readFileSync(require.resolve("libphonenumber-js/metadata.mobile.json"), "utf8"));
if (source.version !== 4) throw new Error(`metadata version ${source.version}: check which field holds the formats`);
const FORMATS = 4;
const strip = (tuple) => tuple.map((v, i) => (i === FORMATS ? 0 : v));
const out = {
  ...source,
  countries: Object.fromEntries(Object.entries(source.countries).map(([k, v]) => [k, strip(v)])),
  nonGeographic: Object.fromEntries(Object.entries(source.nonGeographic ?? {}).map(([k, v]) => [k, strip(v)])),
};
writeFileSync(new URL("../src/auth/phone-metadata.json", import.meta.url), `${JSON.stringify(out)}\n`);
console.log("wrote src/auth/phone-metadata.json");
