// `edge-auth/verifier` runs inside OTHER Workers: it must resolve through the package's
// "exports" and import nothing of this Worker but its own folder, hono and jose.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const VERIFIER = join(ROOT, "src", "verifier");

test("the subpath export points at the verifier", () => {
  assert.equal(fileURLToPath(import.meta.resolve("edge-auth/verifier")), join(VERIFIER, "index.ts"));
});

test("the verifier imports only its own folder, hono and jose", () => {
  for (const file of readdirSync(VERIFIER)) {
    const source = readFileSync(join(VERIFIER, file), "utf8");
    const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"/g)].map((m) => m[1]);
    for (const s of specifiers) assert.match(s, /^(\.\/[a-z-]+|hono(\/[a-z-]+)?|jose)$/, `${file} imports ${s}`);
    assert.doesNotMatch(source, /cloudflare:workers|\.\.\//, `${file} reaches outside src/verifier`);
  }
});
