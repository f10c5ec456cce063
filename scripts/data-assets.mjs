// Data the Worker reads from its static assets instead of carrying in its bundle (the
// bundle budget is 150 KiB gzip; see README "Test coverage and benchmarks"). Copied into
// public/ by `npm run build`, and by the test and local-server setups so a bare
// `npx vitest run` or `wrangler dev` finds them too. Run directly: `node scripts/data-assets.mjs`.
import { copyFileSync, mkdirSync } from "node:fs";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url);

/** Source file (in the repository) -> path under public/ (COMMON_PASSWORDS_ASSET, PHONE_METADATA_ASSET in src/auth/). */
const DATA_ASSETS = [
  ["src/auth/common-passwords.txt", "data/common-passwords.txt"],
  ["src/auth/phone-metadata.json", "data/phone-metadata.json"],
];

export function copyDataAssets() {
  for (const [from, to] of DATA_ASSETS) {
    const target = new URL(`public/${to}`, root);
    mkdirSync(new URL(".", target), { recursive: true });
    copyFileSync(new URL(from, root), target);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  copyDataAssets();
  console.log(`data-assets: ${DATA_ASSETS.map(([, to]) => `public/${to}`).join(", ")}`);
}
