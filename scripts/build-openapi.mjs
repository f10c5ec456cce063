// Writes public/openapi.json from the route registry: the same zod schemas that validate
// requests. Done at build time so the JSON-schema generator stays out of the Worker
// bundle (~8 KiB gzip); the Worker serves the file at /api/openapi.json.
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
      contents: `import "./src/app"; export { describedRoutes } from "./src/http/openapi"; export { openApiDocument } from "./src/http/openapi-document";`,
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    logLevel: "warning",
    // Worker-only modules are never called while routes register themselves.
    external: ["cloudflare:*"],
    // src/http/openapi.ts keeps no docs in a production build; this build is what needs them.
    define: { "process.env.NODE_ENV": '"development"' },
    loader: { ".txt": "text", ".wasm": "empty" },
  });
  const { describedRoutes, openApiDocument } = await import(pathToFileURL(outfile).href);
  const doc = openApiDocument(describedRoutes(), "Edge Auth");
  mkdirSync(join(root, "public"), { recursive: true });
  writeFileSync(join(root, "public/openapi.json"), JSON.stringify(doc));
  console.log(`build-openapi: ${Object.keys(doc.paths).length} paths -> public/openapi.json`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
