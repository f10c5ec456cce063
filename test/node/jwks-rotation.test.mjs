// An independent verifier, outside workerd: jose in plain Node against the JWKS that
// `wrangler dev` serves, through a whole key rotation planned by `npm run keys:rotate`.
// The service is restarted with each step's secrets (--env-file) on the same persisted
// state, so the same user signs in before, during and after the rotation.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { formatVars, newPepper, newSigningKey } from "../../scripts/keys.mjs";
import { migrate, signUpViaOutbox, startLocalServer } from "../../scripts/local-server.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PASSWORD = "correct horse battery staple 42";

let dir;
let server;

/** Restarts the service on the same persisted state with the given secrets files. */
async function restart(envFiles) {
  await server?.stop();
  server = await startLocalServer({ envFiles, persistDir: join(dir, "state") });
}

async function post(path, json) {
  const res = await fetch(`${server.origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-token-transport": "body" },
    body: JSON.stringify(json),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function registerAndVerify(email) {
  return (await signUpViaOutbox(server.origin, email, PASSWORD, "Node Verifier")).accessToken;
}

async function signIn(email) {
  const res = await post("/api/auth/login", { email, password: PASSWORD });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.accessToken;
}

/** What any third party does: fetch the JWKS (fresh cache each time) and verify strictly. */
async function verifyIndependently(token) {
  const jwks = createRemoteJWKSet(new URL(`${server.origin}/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    issuer: "http://127.0.0.1:8787", // PUBLIC_URL in wrangler.toml, whatever port dev listens on
    audience: "http://127.0.0.1:8787",
    algorithms: ["EdDSA", "ES256"],
    typ: "at+jwt",
    requiredClaims: ["sub", "sid", "jti", "exp", "iat"],
  });
  return { payload, kid: protectedHeader.kid };
}

async function publishedKids() {
  const res = await fetch(`${server.origin}/.well-known/jwks.json`);
  assert.equal(res.headers.get("cache-control"), "public, max-age=300, stale-while-revalidate=60");
  const { keys } = await res.json();
  for (const k of keys) assert.equal(k.d, undefined, "a private key part is published");
  return keys.map((k) => k.kid);
}

async function meStatus(token) {
  return (await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "edge-auth-rotation-"));
  migrate(join(dir, "state"));
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("tokens verify with jose against the served JWKS before, during and after a key rotation; a retired key's tokens are refused", {
  timeout: 600_000,
}, async () => {
  const oldKey = newSigningKey();
  const base = join(dir, "base.vars");
  writeFileSync(base, formatVars({ JWT_PRIVATE_KEYS: JSON.stringify([oldKey]), PASSWORD_PEPPER: newPepper() }), { mode: 0o600 });

  // The rotation script plans the three steps from the current keys.
  const out = join(dir, "rotation");
  const printed = execFileSync(process.execPath, ["scripts/rotate-keys.mjs", "--from", base, "--out", out, "--env", "production"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const step = (n) => JSON.parse(readFileSync(join(out, `step-${n}.json`), "utf8"));
  const newKid = JSON.parse(step(1).JWT_PRIVATE_KEYS)[1].kid;
  assert.match(printed, new RegExp(`${oldKey.kid} -> ${newKid}`));
  assert.match(printed, /npx wrangler secret bulk .*step-1\.json --env production/);
  assert.match(printed, /npx wrangler secret put JWT_RETIRED_PUBLIC_KEYS --env production < .*step-2\/JWT_RETIRED_PUBLIC_KEYS\n.*secret put JWT_PRIVATE_KEYS/);
  assert.match(printed, /wait at least 1265 s/);
  assert.equal(step(2).JWT_RETIRED_PUBLIC_KEYS.includes('"d"'), false, "step 2 publishes only the public half of the old key");
  assert.deepEqual(step(3), { JWT_RETIRED_PUBLIC_KEYS: null });

  // Before: one key, it signs.
  await restart([base]);
  const email = `rotation.${Date.now()}@example.com`;
  const beforeToken = await registerAndVerify(email);
  assert.deepEqual(await publishedKids(), [oldKey.kid]);
  const first = await verifyIndependently(beforeToken);
  assert.equal(first.kid, oldKey.kid);
  assert.equal(typeof first.payload.sub, "string");

  // Step 1: the next key is published, the old one still signs.
  await restart([base, join(out, "step-1.dev.vars")]);
  assert.deepEqual(await publishedKids(), [oldKey.kid, newKid]);
  const duringToken = await signIn(email);
  assert.equal(decodeProtectedHeader(duringToken).kid, oldKey.kid);
  assert.equal((await verifyIndependently(beforeToken)).kid, oldKey.kid);

  // Step 2: the next key signs; the old public key stays published, so old tokens still verify.
  await restart([base, join(out, "step-2.dev.vars")]);
  assert.deepEqual(await publishedKids(), [newKid, oldKey.kid]);
  const afterToken = await signIn(email);
  assert.equal((await verifyIndependently(afterToken)).kid, newKid);
  assert.equal((await verifyIndependently(beforeToken)).kid, oldKey.kid);
  assert.equal((await verifyIndependently(duringToken)).kid, oldKey.kid);
  assert.equal(await meStatus(beforeToken), 200);

  // Step 3: the old key is retired: its tokens are refused by jose and by the service.
  await restart([base, join(out, "step-3.dev.vars")]);
  assert.deepEqual(await publishedKids(), [newKid]);
  assert.equal((await verifyIndependently(afterToken)).kid, newKid);
  for (const token of [beforeToken, duringToken]) {
    await assert.rejects(verifyIndependently(token), errors.JWKSNoMatchingKey);
    assert.equal(await meStatus(token), 401);
  }
  assert.equal(await meStatus(afterToken), 200);
});
