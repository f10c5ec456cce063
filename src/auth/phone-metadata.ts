// libphonenumber-js's trimmed "mobile" metadata (scripts/build-phone-metadata.mjs), read
// from the Worker's static assets rather than bundled: ~15 KiB of the 150 KiB gzip bundle
// budget, needed only by the routes that take a phone number. Public data (it is in the
// npm package), served at /data/phone-metadata.json.
import { fetchDataAsset, readDataAsset } from "../storage/assets";
import type { PhoneMetadata } from "./phone-number";

/** Where `npm run build` puts it (scripts/data-assets.mjs). */
export const PHONE_METADATA_ASSET = "/data/phone-metadata.json";

export function phoneMetadata(env: Env): Promise<PhoneMetadata> {
  return readDataAsset(env, PHONE_METADATA_ASSET, "application/json", parseMetadata);
}

/** Without the per-isolate cache: for tests and checks. */
export async function loadPhoneMetadata(assets: Fetcher): Promise<PhoneMetadata> {
  return parseMetadata(await fetchDataAsset(assets, PHONE_METADATA_ASSET, "application/json"));
}

async function parseMetadata(res: Response): Promise<PhoneMetadata> {
  const metadata = (await res.json()) as PhoneMetadata;
  // A wrong file would make every number "invalid": refuse it instead.
  if (typeof metadata?.countries !== "object" || !metadata.countries.ES || !metadata.countries.US) {
    throw new Error(`${PHONE_METADATA_ASSET} is not libphonenumber-js metadata`);
  }
  return metadata;
}
