// Worker bundle size, as Cloudflare counts it: what `wrangler deploy` would upload,
// gzipped. Budget (docs/architecture.md §8): <= 150 KiB gzip, minified, all features.
//   npm run size
// Built twice with `wrangler deploy --dry-run`: as configured, and with --minify.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KIB = 150;
const root = new URL("..", import.meta.url).pathname;
const wrangler = join(root, "node_modules/.bin/wrangler");
// wrangler refuses to build without the assets directory (the SPA build output).
mkdirSync(join(root, "public"), { recursive: true });

const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

function measure(label, extraArgs) {
  const out = mkdtempSync(join(tmpdir(), "edge-auth-size-"));
  try {
    const build = spawnSync(wrangler, ["deploy", "--dry-run", "--outdir", out, ...extraArgs], { cwd: root, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${build.stderr || build.stdout}`);
    // Source maps and the metadata file are not uploaded as code.
    const code = files(out).filter((f) => !f.endsWith(".map") && !f.endsWith("README.md"));
    let raw = 0;
    let gz = 0;
    const rows = code.map((f) => {
      const bytes = readFileSync(f);
      const g = gzipSync(bytes, { level: 9 }).length;
      raw += bytes.length;
      gz += g;
      return `    ${relative(out, f).padEnd(62)} ${kib(bytes.length).padStart(11)}  gzip ${kib(g).padStart(10)}`;
    });
    console.log(`${label}: ${kib(raw)} raw, ${kib(gz)} gzip (${((gz / 1024 / BUDGET_KIB) * 100).toFixed(0)}% of the ${BUDGET_KIB} KiB budget)`);
    console.log(rows.join("\n"));
    return gz;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

measure("as configured (wrangler.toml)", []);
const minified = measure("minified (--minify)", ["--minify"]);
if (minified / 1024 > BUDGET_KIB) {
  console.error(`over budget: ${kib(minified)} gzip > ${BUDGET_KIB} KiB`);
  process.exitCode = 1;
}
