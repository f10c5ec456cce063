// The common-password list (4,000 entries, front-coded: scripts/build-common-passwords.mjs)
// is read from the Worker's static assets, not bundled: it would be ~13 KiB of the 150 KiB
// gzip bundle budget, and only the routes that set a new password need it. It is public
// data (zxcvbn's frequency list), so serving it at /data/common-passwords.txt reveals nothing.
import { fetchDataAsset, readDataAsset } from "../storage/assets";
import { decodeFrontCoded } from "./password-policy";

/** Where `npm run build` puts the list (scripts/data-assets.mjs). */
export const COMMON_PASSWORDS_ASSET = "/data/common-passwords.txt";
/** Fewer entries than this means a wrong or truncated file: refuse to run on it. */
const MIN_ENTRIES = 3000;

export function commonPasswords(env: Env): Promise<ReadonlySet<string>> {
  return readDataAsset(env, COMMON_PASSWORDS_ASSET, "text/plain", parseList);
}

/** Without the per-isolate cache: for tests and checks. */
export async function loadCommonPasswords(assets: Fetcher): Promise<ReadonlySet<string>> {
  return parseList(await fetchDataAsset(assets, COMMON_PASSWORDS_ASSET, "text/plain"));
}

async function parseList(res: Response): Promise<ReadonlySet<string>> {
  const words = decodeFrontCoded(await res.text());
  if (words.size < MIN_ENTRIES) throw new Error(`${COMMON_PASSWORDS_ASSET} holds ${words.size} entries, expected at least ${MIN_ENTRIES}`);
  return words;
}
