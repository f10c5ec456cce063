// Writes public/openapi.json from the mounted routes of the app: it builds the app, walks
// `app.routes` (method + full path + handler of every mounted handler) and reads the doc
// placed before each route (src/http/openapi.ts), with the same zod schemas that validate
// requests. Done at build time so the JSON-schema generator stays out of the Worker
// bundle (~8 KiB gzip); the Worker serves the file at /api/openapi.json. A mounted route
// with neither a doc nor an `undocumented(app, "why")` mark fails the build, and so does a
// doc on a route that is not mounted.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "edge-auth-openapi-"));
try {
  const outfile = join(dir, "openapi.mjs");
  await build({
    stdin: {
      contents: `export { buildApp } from "./src/app"; export { markLabel, mountedOperations, openApiDocument } from "./src/http/openapi-document";`,
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    logLevel: "warning",
    // Worker-only modules are never called while the app is built.
    external: ["cloudflare:*"],
    // src/http/openapi.ts keeps no docs in a production build; this build is what needs them.
    define: { "process.env.NODE_ENV": '"development"' },
    loader: { ".txt": "text", ".wasm": "empty" },
  });
  const { buildApp, markLabel, mountedOperations, openApiDocument } = await import(pathToFileURL(outfile).href);
  const { operations, unmounted } = mountedOperations(buildApp());
  const unmarked = operations.filter((op) => !op.mark).map((op) => `${op.method} ${op.path}`);
  if (unmarked.length) {
    throw new Error(
      `build-openapi: mounted routes with no doc: ${unmarked.join(", ")}.\nPut describeRoute(app, {...}) or undocumented(app, "why") just before each (src/http/openapi.ts).`,
    );
  }
  if (unmounted.length) throw new Error(`build-openapi: docs on sub-apps that are not mounted: ${unmounted.map(markLabel).join("; ")}`);
  const doc = openApiDocument(operations, "Edge Auth");
  mkdirSync(join(root, "public"), { recursive: true });
  writeFileSync(join(root, "public/openapi.json"), JSON.stringify(doc));
  const count = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  console.log(`build-openapi: ${Object.keys(doc.paths).length} paths, ${count} operations -> public/openapi.json`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
