// `npm run keys:rotate` — plans a signing-key rotation without logging anyone out
// (README "Key rotation"). It reads the current keys, generates the next one, writes the
// secret values of each step to files (mode 0600) and prints the exact commands to run:
//   1. publish the next key next to the current one (the current one still signs);
//   2. sign with the next key; keep only the PUBLIC half of the old one published;
//   3. retire the old key once every token it signed has expired.
// It never talks to Cloudflare: deployed secrets cannot be read back, so the current keys
// come from a file you keep (default .dev.vars) or from the environment.
//
//   npm run keys:rotate -- [--from FILE] [--out DIR] [--env WRANGLER_ENV] [--ttl SECONDS]
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatVars, newSigningKey, publicJwk, readVarsFile } from "./keys.mjs";

// Must match src/routes/system.ts (JWKS_MAX_AGE_SECONDS + JWKS_STALE_SECONDS) and the
// clock tolerance of src/auth/access-token.ts.
const JWKS_CACHE_SECONDS = 300 + 60;
const CLOCK_TOLERANCE_SECONDS = 5;

const { values: args } = parseArgs({
  options: {
    from: { type: "string", default: ".dev.vars" },
    out: { type: "string", default: ".key-rotation" },
    env: { type: "string" },
    ttl: { type: "string" },
  },
});

function fail(message) {
  console.error(`keys:rotate: ${message}`);
  process.exit(1);
}

function parseKeyList(json, name) {
  if (json === undefined || json === "") return [];
  let keys;
  try {
    keys = JSON.parse(json);
  } catch {
    fail(`${name} is not valid JSON`);
  }
  if (!Array.isArray(keys) || keys.some((k) => typeof k?.kid !== "string")) fail(`${name} must be a JSON array of JWKs with a kid`);
  return keys;
}

/** ACCESS_TOKEN_TTL_SECONDS from --ttl, else wrangler.toml's [vars], else the default 900. */
function accessTokenTtl() {
  if (args.ttl) return Number.parseInt(args.ttl, 10);
  try {
    const m = /^ACCESS_TOKEN_TTL_SECONDS\s*=\s*"?(\d+)"?/m.exec(readFileSync("wrangler.toml", "utf8"));
    if (m) return Number.parseInt(m[1], 10);
  } catch {}
  return 900;
}

const source = { ...process.env, ...readVarsFile(args.from) };
const privateKeys = parseKeyList(source.JWT_PRIVATE_KEYS, "JWT_PRIVATE_KEYS");
const retired = parseKeyList(source.JWT_RETIRED_PUBLIC_KEYS, "JWT_RETIRED_PUBLIC_KEYS");
if (privateKeys.length === 0) fail(`no JWT_PRIVATE_KEYS in ${args.from} or the environment (give the current keys with --from FILE)`);

const wranglerEnv = args.env ? ` --env ${args.env}` : "";
const ttl = accessTokenTtl();
const retireWait = ttl + CLOCK_TOLERANCE_SECONDS + JWKS_CACHE_SECONDS;
mkdirSync(args.out, { recursive: true, mode: 0o700 });
chmodSync(args.out, 0o700);

/**
 * Writes a step as JSON of the secrets it changes (for `wrangler secret bulk`; null
 * deletes), one file per value (for `wrangler secret put NAME < file`), and a .dev.vars of
 * the complete key state after the step (for `wrangler dev --env-file`, layered on .dev.vars).
 */
function writeStep(n, changes, state) {
  const base = join(args.out, `step-${n}`);
  writeFileSync(`${base}.json`, JSON.stringify(changes, null, 2) + "\n", { mode: 0o600 });
  writeFileSync(`${base}.dev.vars`, formatVars(state), { mode: 0o600 });
  mkdirSync(base, { recursive: true, mode: 0o700 });
  for (const [name, value] of Object.entries(changes)) if (value !== null) writeFileSync(join(base, name), value, { mode: 0o600 });
  return base;
}

function printStep(n, title, base, vars, wait) {
  console.log(`\nStep ${n}: ${title}`);
  console.log(`  npx wrangler secret bulk ${base}.json${wranglerEnv}`);
  console.log(`  # or one secret at a time, in this order:`);
  for (const [name, value] of Object.entries(vars)) {
    console.log(
      value === null ? `  npx wrangler secret delete ${name}${wranglerEnv}` : `  npx wrangler secret put ${name}${wranglerEnv} < ${join(base, name)}`,
    );
  }
  console.log(`  # locally: npx wrangler dev --env-file .dev.vars --env-file ${base}.dev.vars`);
  if (wait) console.log(`  Then wait at least ${wait}`);
}

if (retired.length > 0 && privateKeys.length === 1) {
  // Mid-rotation after step 2: only the retirement is left.
  const retire = { JWT_RETIRED_PUBLIC_KEYS: null };
  const base = writeStep(3, retire, { JWT_PRIVATE_KEYS: JSON.stringify(privateKeys), JWT_RETIRED_PUBLIC_KEYS: "[]" });
  console.log(`A rotation is in progress: ${privateKeys[0].kid} signs, ${retired.map((k) => k.kid).join(", ")} still published.`);
  console.log(
    `Retire only once ${retireWait} s have passed since step 2 (access-token TTL ${ttl} s + ${CLOCK_TOLERANCE_SECONDS} s skew + JWKS cache ${JWKS_CACHE_SECONDS} s).`,
  );
  printStep(3, "retire the old public keys", base, retire);
  process.exit(0);
}
if (retired.length > 0) fail("JWT_RETIRED_PUBLIC_KEYS is set and more than one private key is present: finish the earlier rotation first");

const current = privateKeys[0];
// A second private key means step 1 was already done: continue with that key.
const inProgress = privateKeys.length > 1;
const next = inProgress ? privateKeys[1] : newSigningKey();
const others = privateKeys.slice(inProgress ? 2 : 1);

// Key order matters: the first private key signs. In step 2 the retired list goes in first,
// so a one-at-a-time `secret put` never leaves the old key unpublished.
const steps = [
  { JWT_PRIVATE_KEYS: JSON.stringify([current, next, ...others]) },
  { JWT_RETIRED_PUBLIC_KEYS: JSON.stringify([current, ...others].map(publicJwk)), JWT_PRIVATE_KEYS: JSON.stringify([next]) },
  { JWT_RETIRED_PUBLIC_KEYS: null },
];
const states = [
  { JWT_PRIVATE_KEYS: steps[0].JWT_PRIVATE_KEYS, JWT_RETIRED_PUBLIC_KEYS: "[]" },
  steps[1],
  { JWT_PRIVATE_KEYS: steps[1].JWT_PRIVATE_KEYS, JWT_RETIRED_PUBLIC_KEYS: "[]" },
];
const [step1, step2, step3] = steps.map((changes, i) => writeStep(i + 1, changes, states[i]));

console.log(`Signing key rotation: ${current.kid} -> ${next.kid}${inProgress ? " (step 1 already done: the next key is published)" : " (new Ed25519 key)"}`);
console.log(`Secret values are in ${args.out}/ (mode 0600). Keep step-2.json's key in your secret store; delete ${args.out}/ after step 3.`);
if (!inProgress) {
  printStep(
    1,
    `publish ${next.kid}; ${current.kid} still signs`,
    step1,
    steps[0],
    `${JWKS_CACHE_SECONDS} s (JWKS max-age 300 s + stale-while-revalidate 60 s) so every cached JWKS holds ${next.kid} before it signs.`,
  );
}
printStep(
  2,
  `sign with ${next.kid}; ${current.kid} stays published (public half only)`,
  step2,
  steps[1],
  `${retireWait} s (access-token TTL ${ttl} s + ${CLOCK_TOLERANCE_SECONDS} s clock skew + JWKS cache ${JWKS_CACHE_SECONDS} s): every token ${current.kid} signed has expired.`,
);
printStep(3, `retire ${current.kid}: tokens it signed are refused from now on`, step3, steps[2]);
