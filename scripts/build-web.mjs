// Builds the SPA (src/web) into public/: one bundled, minified script and stylesheet
// with content hashes in their names, the HTML shell, the service worker and the
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
const app = await build({ ...common, entryPoints: [src("main.tsx")], format: "esm", jsx: "automatic", jsxImportSource: "preact", outdir: "x" });
const js = app.outputFiles.find((f) => f.path.endsWith(".js")).text;
const css = (await build({ ...common, entryPoints: [src("styles.css")], outdir: "x" })).outputFiles[0].text;
const jsName = `app.${hash(js)}.js`;
const cssName = `app.${hash(css)}.css`;
writeFileSync(new URL(jsName, out), js);
writeFileSync(new URL(cssName, out), css);

const favicon = readFileSync(src("favicon.svg"), "utf8");
writeFileSync(new URL("favicon.svg", out), favicon);

const html = readFileSync(src("index.html"), "utf8").replace("%CSS%", `/${cssName}`).replace("%JS%", `/${jsName}`);
writeFileSync(new URL("index.html", out), html);

// The service worker caches exactly this build's shell; its cache name changes with it.
const shell = ["/", `/${jsName}`, `/${cssName}`, "/favicon.svg"];
const version = hash(js + css + html);
const sw = await build({ ...common, entryPoints: [src("sw.ts")], format: "iife", define: { __SHELL__: JSON.stringify(shell), __VERSION__: JSON.stringify(version) }, outdir: "x" });
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
console.log(`build-web: ${jsName} ${kib(js.length)} (${kib(gz(js))} gzip), ${cssName} ${kib(gz(css))} gzip, sw.js ${kib(gz(sw.outputFiles[0].text))} gzip`);
if (gz(js) + gz(sw.outputFiles[0].text) > 60 * 1024) {
  console.error("build-web: the SPA's JavaScript is over the 60 KiB gzip budget");
  process.exit(1);
}
