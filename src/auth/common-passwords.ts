// The common-password list (4,000 entries, front-coded: scripts/build-common-passwords.mjs)
// is read from the Worker's static assets, not bundled: it would be ~13 KiB of the 150 KiB
// gzip bundle budget, and only the routes that set a new password need it. It is public
// data (zxcvbn's frequency list), so serving it at /data/common-passwords.txt reveals
// nothing. Loaded once per isolate; a failed load is retried by the next caller.
import { decodeFrontCoded } from "./password-policy";

/** Where `npm run build` puts the list (scripts/data-assets.mjs). */
export const COMMON_PASSWORDS_ASSET = "/data/common-passwords.txt";
/** Fewer entries than this means a wrong or truncated file: refuse to run on it. */
const MIN_ENTRIES = 3000;

let loading: Promise<ReadonlySet<string>> | undefined;

export function commonPasswords(env: Env): Promise<ReadonlySet<string>> {
  loading ??= loadCommonPasswords(env.ASSETS).catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

export async function loadCommonPasswords(assets: Fetcher): Promise<ReadonlySet<string>> {
  // The host is ignored by the assets binding; a URL must be absolute.
  const res = await assets.fetch(new URL(COMMON_PASSWORDS_ASSET, "https://assets.local"));
  // A missing asset answers 200 with the SPA's index.html (not_found_handling): check the type.
  if (!res.ok || !res.headers.get("content-type")?.startsWith("text/plain")) {
    await res.body?.cancel();
    throw new Error(`${COMMON_PASSWORDS_ASSET} is not in the static assets (status ${res.status}): run \`npm run build\``);
  }
  const words = decodeFrontCoded(await res.text());
  if (words.size < MIN_ENTRIES) throw new Error(`${COMMON_PASSWORDS_ASSET} holds ${words.size} entries, expected at least ${MIN_ENTRIES}`);
  return words;
}
