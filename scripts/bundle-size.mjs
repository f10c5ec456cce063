// Worker bundle size, as Cloudflare counts it: what `wrangler deploy` would upload,
// gzipped. Budget (docs/architecture.md §8): <= 150 KiB gzip, minified, all features.
//   npm run size                    total; exits 1 over budget
//   npm run size -- --by-package    and where the bytes are, per package and src/ directory
// Built with `wrangler deploy --dry-run --minify`: wrangler's own esbuild run (same entry,
// conditions and plugins as a deploy); its metafile and source map attribute the bytes.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

export const BUDGET_KIB = 150;
const root = new URL("..", import.meta.url).pathname;
const wrangler = join(root, "node_modules/.bin/wrangler");
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** Builds the Worker; returns the gzip bytes of each uploaded module and, if asked, the attribution. */
export function measureBundle({ byPackage = false } = {}) {
  // wrangler refuses to build without the assets directory (the SPA build output).
  mkdirSync(join(root, "public"), { recursive: true });
  const out = mkdtempSync(join(tmpdir(), "edge-auth-size-"));
  try {
    const meta = join(out, "meta.json");
    // NODE_ENV unset, as in `npm run deploy`: wrangler then builds for "production" (src/http/openapi.ts).
    const { NODE_ENV, ...env } = process.env;
    const args = ["deploy", "--dry-run", "--minify", "--outdir", out, "--metafile", meta];
    const build = spawnSync(wrangler, args, { cwd: root, env, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${build.stderr || build.stdout}`);
    // Source maps, the metafile and the README are not uploaded as code.
    const modules = readdirSync(out)
      .filter((f) => !/\.(map|json|md)$/.test(f))
      .map((name) => {
        const bytes = readFileSync(join(out, name));
        return { name, raw: bytes.length, gzip: gzip(bytes) };
      });
    const total = modules.reduce((sum, m) => sum + m.gzip, 0);
    const groups = byPackage ? attribute(readFileSync(join(out, "index.js"), "utf8"), JSON.parse(readFileSync(join(out, "index.js.map"), "utf8"))) : [];
    return { modules, total, groups };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** "hono", "@oslojs/crypto", "src/routes", "src/errors.ts": the unit a change is made in. */
function groupOf(source) {
  const pkg = source.split("node_modules/").pop();
  // drizzle-orm's own source maps point one directory too high: node_modules/src/sqlite-core/...
  if (pkg.startsWith("src/")) return "drizzle-orm";
  if (pkg !== source)
    return pkg
      .split("/")
      .slice(0, pkg.startsWith("@") ? 2 : 1)
      .join("/");
  const path = source.slice(source.lastIndexOf("src/"));
  return path.split("/").slice(0, 2).join("/");
}

/**
 * Splits the minified output by the source map (each generated segment belongs to the
 * source it maps to) and gzips each group's text alone. Gzip shares its dictionary across
 * the file, so alone-sizes add up to more than the whole; `gzip` scales them to the total.
 */
function attribute(code, map) {
  const text = new Map();
  const add = (name, t) => text.set(name, (text.get(name) ?? "") + t);
  const lines = code.split("\n");
  let source = 0; // relative across the whole mappings string, unlike the column
  map.mappings.split(";").forEach((segments, line) => {
    let column = 0;
    const starts = segments
      .split(",")
      .filter(Boolean)
      .map((segment) => {
        const [dColumn, dSource] = decodeVlq(segment);
        column += dColumn;
        if (dSource === undefined) return [column, "(unmapped)"];
        source += dSource;
        return [column, groupOf(map.sources[source])];
      });
    if (starts[0]?.[0] !== 0) starts.unshift([0, "(unmapped)"]);
    starts.forEach(([from, name], i) => {
      add(name, lines[line].slice(from, starts[i + 1]?.[0]));
    });
  });
  // A package installed twice (nested node_modules) is bundled twice: say so.
  const copies = (name) => {
    const at = `node_modules/${name}/`;
    return new Set(map.sources.filter((s) => s.includes(at)).map((s) => s.slice(0, s.lastIndexOf(at)))).size;
  };
  const rows = [...text].map(([name, t]) => ({ name, copies: copies(name), raw: Buffer.byteLength(t), alone: gzip(Buffer.from(t)) }));
  const whole = gzip(Buffer.from(code));
  const sumAlone = rows.reduce((sum, r) => sum + r.alone, 0);
  return rows.map((r) => ({ ...r, gzip: (r.alone * whole) / sumAlone })).sort((a, b) => b.gzip - a.gzip);
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
function decodeVlq(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const byPackage = process.argv.includes("--by-package");
  const { modules, total, groups } = measureBundle({ byPackage });
  for (const m of modules) console.log(`  ${m.name.padEnd(60)} ${kib(m.raw).padStart(10)}  gzip ${kib(m.gzip).padStart(9)}`);
  console.log(`minified: ${kib(total)} gzip (${((total / 1024 / BUDGET_KIB) * 100).toFixed(0)}% of the ${BUDGET_KIB} KiB budget)`);
  if (byPackage) {
    console.log(`\nindex.js by package and src/ directory (gzip: share of the file's gzip size)`);
    for (const g of groups) {
      const name = g.copies > 1 ? `${g.name} (${g.copies} copies)` : g.name;
      console.log(`  ${name.padEnd(40)} ${kib(g.raw).padStart(10)}  gzip ${kib(g.gzip).padStart(9)}`);
    }
  }
  if (total / 1024 > BUDGET_KIB) {
    console.error(`over budget: ${kib(total)} gzip > ${BUDGET_KIB} KiB`);
    process.exitCode = 1;
  }
}
