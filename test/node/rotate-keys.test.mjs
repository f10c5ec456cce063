// `npm run keys:rotate` without a server: the plan it writes, and how it resumes mid-rotation.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { formatVars, newSigningKey } from "../../scripts/keys.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "edge-auth-rotate-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function rotate(from, out) {
  const env = { ...process.env };
  delete env.JWT_PRIVATE_KEYS;
  delete env.JWT_RETIRED_PUBLIC_KEYS;
  return spawnSync(process.execPath, ["scripts/rotate-keys.mjs", "--from", from, "--out", out], { cwd: ROOT, encoding: "utf8", env });
}
const read = (out, n) => JSON.parse(readFileSync(join(out, `step-${n}.json`), "utf8"));
const kids = (json) => JSON.parse(json).map((k) => k.kid);

test("plans three steps from one key, writes private files, and resumes from any step", () => {
  const current = newSigningKey();
  const start = join(dir, "start.vars");
  writeFileSync(start, formatVars({ JWT_PRIVATE_KEYS: JSON.stringify([current]), PASSWORD_PEPPER: "p" }));

  const first = rotate(start, join(dir, "a"));
  assert.equal(first.status, 0, first.stderr);
  const next = kids(read(join(dir, "a"), 1).JWT_PRIVATE_KEYS)[1];
  assert.notEqual(next, current.kid);
  assert.deepEqual(kids(read(join(dir, "a"), 1).JWT_PRIVATE_KEYS), [current.kid, next]);
  assert.deepEqual(kids(read(join(dir, "a"), 2).JWT_PRIVATE_KEYS), [next]);
  assert.deepEqual(JSON.parse(read(join(dir, "a"), 2).JWT_RETIRED_PUBLIC_KEYS), [
    { crv: "Ed25519", x: current.x, kty: "OKP", kid: current.kid, alg: "EdDSA", use: "sig" },
  ]);
  assert.equal(statSync(join(dir, "a", "step-2.json")).mode & 0o077, 0, "secret files are private to the owner");
  assert.equal(statSync(join(dir, "a")).mode & 0o077, 0);

  // After step 1 (two private keys): continue with the same next key, from step 2.
  const resumed = rotate(join(dir, "a", "step-1.dev.vars"), join(dir, "b"));
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, /step 1 already done/);
  assert.doesNotMatch(resumed.stdout, /Step 1:/);
  assert.deepEqual(kids(read(join(dir, "b"), 2).JWT_PRIVATE_KEYS), [next]);

  // After step 2 (retired keys published): only the retirement is left.
  const last = rotate(join(dir, "a", "step-2.dev.vars"), join(dir, "c"));
  assert.equal(last.status, 0, last.stderr);
  assert.match(last.stdout, /rotation is in progress/);
  assert.deepEqual(read(join(dir, "c"), 3), { JWT_RETIRED_PUBLIC_KEYS: null });

  // After step 3: a new rotation starts from the key that now signs.
  const again = rotate(join(dir, "a", "step-3.dev.vars"), join(dir, "d"));
  assert.equal(again.status, 0, again.stderr);
  assert.equal(kids(read(join(dir, "d"), 1).JWT_PRIVATE_KEYS)[0], next);
});

test("refuses to run without keys or with unreadable ones", () => {
  assert.equal(rotate(join(dir, "missing.vars"), join(dir, "x")).status, 1);
  const bad = join(dir, "bad.vars");
  writeFileSync(bad, "JWT_PRIVATE_KEYS='not json'\n");
  const res = rotate(bad, join(dir, "y"));
  assert.equal(res.status, 1);
  assert.match(res.stderr, /not valid JSON/);
});
