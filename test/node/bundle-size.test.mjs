// The Worker bundle budget (docs/architecture.md §8): what `wrangler deploy` would upload,
// minified, <= 150 KiB gzip. Builds it once (~5 s) with `wrangler deploy --dry-run`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BUDGET_KIB, measureBundle } from "../../scripts/bundle-size.mjs";

test(`the Worker bundle is at most ${BUDGET_KIB} KiB gzip`, () => {
  const { modules, total } = measureBundle();
  assert.ok(
    modules.some((m) => m.name === "index.js"),
    "the build produced the Worker",
  );
  const kib = (total / 1024).toFixed(1);
  assert.ok(total <= BUDGET_KIB * 1024, `${kib} KiB gzip > ${BUDGET_KIB} KiB: see \`npm run size -- --by-package\``);
});
