// Builds the SPA (src/web) into public/: the minified entry script plus one chunk per
// lazily loaded dashboard page (code splitting: a page's code is fetched on its first
// visit) and the stylesheet, all with content hashes in their names, the HTML shell, the service worker and the
// _headers file (security headers + a strict CSP: no inline script or style).
// public/ is build output (git-ignored); wrangler serves it as Workers static assets.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const root = new URL("../", import.meta.url);
const out = new URL("public/", root);
const src = (p) => new URL(`src/web/${p}`, root).pathname;
const hash = (text) => createHash("sha256").update(text).digest("hex").slice(0, 10);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = { bundle: true, minify: true, write: false, target: "es2022", legalComments: "none", logLevel: "warning" };
// ESM with splitting: `import()` in src/web/dashboard/sections.ts becomes a chunk.
// Every name starts with "app." so the immutable-cache rule in _headers covers chunks too.
const app = await build({
  ...common,
  entryPoints: [src("main.tsx")],
  format: "esm",
  splitting: true,
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: out.pathname,
  entryNames: "app.[hash]",
  chunkNames: "app.chunk.[hash]",
  metafile: true,
});
const scripts = app.outputFiles.filter((f) => f.path.endsWith(".js"));
for (const f of scripts) writeFileSync(f.path, f.text);
const entry = scripts.find((f) => /\/app\.[A-Z0-9]+\.js$/.test(f.path));
const jsName = entry.path.slice(out.pathname.length);
const js = scripts.map((f) => f.text).join("");
const css = (await build({ ...common, entryPoints: [src("styles.css")], outdir: "x" })).outputFiles[0].text;
const cssName = `app.${hash(css)}.css`;
writeFileSync(new URL(cssName, out), css);

// Crawlers may see the sign-in page; the API and signed-in pages are nothing to index.
writeFileSync(new URL("robots.txt", out), "User-agent: *\nDisallow: /api/\nDisallow: /dashboard\nAllow: /\n");

const favicon = readFileSync(src("favicon.svg"), "utf8");
writeFileSync(new URL("favicon.svg", out), favicon);

// The chunks the entry imports statically are preloaded with it (no request waterfall).
const entryMeta = Object.entries(app.metafile.outputs).find(([path]) => path.endsWith(`/${jsName}`))[1];
const preloads = entryMeta.imports.filter((i) => i.kind === "import-statement").map((i) => `<link rel="modulepreload" href="/${i.path.split("/").pop()}">`);
const html = readFileSync(src("index.html"), "utf8").replace("%CSS%", `/${cssName}`).replace("%JS%", `/${jsName}`).replace("%PRELOAD%", preloads.join("\n"));
writeFileSync(new URL("index.html", out), html);

// The service worker caches exactly this build's shell; its cache name changes with it.
// Every chunk is in it, so a page never visited online still opens offline.
const shell = ["/", ...scripts.map((f) => `/${f.path.slice(out.pathname.length)}`), `/${cssName}`, "/favicon.svg"];
const version = hash(js + css + html);
const sw = await build({
  ...common,
  entryPoints: [src("sw.ts")],
  format: "iife",
  define: { __SHELL__: JSON.stringify(shell), __VERSION__: JSON.stringify(version) },
  outdir: "x",
});
writeFileSync(new URL("sw.js", out), sw.outputFiles[0].text);

const csp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");
const security = [
  `  Content-Security-Policy: ${csp}`,
  "  X-Content-Type-Options: nosniff",
  "  X-Frame-Options: DENY",
  "  Referrer-Policy: no-referrer",
  "  Cross-Origin-Opener-Policy: same-origin",
  "  Cross-Origin-Resource-Policy: same-origin",
  "  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()",
  "  Strict-Transport-Security: max-age=63072000; includeSubDomains",
].join("\n");
writeFileSync(
  new URL("_headers", out),
  `/*\n${security}\n  Cache-Control: no-cache\n/app.*\n  ! Cache-Control\n  Cache-Control: public, max-age=31536000, immutable\n/sw.js\n  ! Cache-Control\n  Cache-Control: no-cache\n`,
);

const gz = (s) => gzipSync(s, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const total = scripts.reduce((n, f) => n + gz(f.text), 0) + gz(sw.outputFiles[0].text);
console.log(
  `build-web: ${jsName} ${kib(gz(entry.text))} gzip + ${scripts.length - 1} chunks ${kib(scripts.filter((f) => f !== entry).reduce((n, f) => n + gz(f.text), 0))} gzip, ` +
    `${cssName} ${kib(gz(css))} gzip, sw.js ${kib(gz(sw.outputFiles[0].text))} gzip; all JavaScript ${kib(total)} gzip of the 60 KiB budget`,
);
if (total > 60 * 1024) {
  console.error("build-web: the SPA's JavaScript is over the 60 KiB gzip budget");
  process.exit(1);
}
