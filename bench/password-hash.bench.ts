// Password hashing cost inside workerd (vitest 5 bench fixture, run by
// @cloudflare/vitest-plugin). Run: npx vitest bench --run bench/password-hash.bench.ts
// Each benchmarked call is one full hash, so latency mean (ms) = ms per hash.
// The OWASP-equivalent Argon2id points run side by side so CURRENT_PARAMS can
// be re-checked on new hardware, with node:crypto scrypt at OWASP strength
// (the alternative docs/architecture.md §5 lists) as the reference for the ratios.
import { test } from "vitest";
import { CURRENT_PARAMS, argon2id, hashPassword, verifyPasswordHash } from "../src/auth/password-hash";

// node:crypto (nodejs_compat) without depending on @types/node, which the
// project's tsconfig does not load: only scryptSync's shape is needed here.
type ScryptSync = (pw: Uint8Array, salt: Uint8Array, len: number, o: { N: number; r: number; p: number; maxmem: number }) => Uint8Array;
const nodeCrypto = "node:crypto";
const { scryptSync } = (await import(/* @vite-ignore */ nodeCrypto)) as { scryptSync: ScryptSync };

const password = new TextEncoder().encode("correct horse battery staple");
const salt = crypto.getRandomValues(new Uint8Array(16));
const runOptions = { time: 2000, iterations: 20, warmupIterations: 3 };

function report(title: string, rows: { name: string; mean: number; p99: number; samples: number }[]) {
  const base = rows.at(-1)!.mean;
  console.log(
    [
      title,
      ...rows.map(
        (r) =>
          `  ${r.name.padEnd(42)} ${r.mean.toFixed(1).padStart(6)} ms/hash  p99 ${r.p99.toFixed(1).padStart(6)} ms  n=${r.samples}  ${(r.mean / base).toFixed(2)}x of last`,
      ),
    ].join("\n"),
  );
}

const points = [
  [19456, 2],
  [12288, 3],
  [9216, 4],
  [7168, 5],
] as const;
const scryptName = "scrypt N=2^14,r=8,p=5 (node:crypto)";

test("argon2id OWASP-equivalent points vs scrypt", async ({ bench }) => {
  const names = points.map(([m, t]) => `argon2id m=${m},t=${t},p=1`);
  const results = await bench.compare(
    ...points.map(([m, t], i) => bench(names[i]!, () => void argon2id(password, salt, { m, t, p: 1 }))),
    bench(scryptName, () => void scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 5, maxmem: 64 * 1024 * 1024 })),
    runOptions,
  );
  report(
    "workerd, one run:",
    [...names, scryptName].map((name) => {
      const r = results.get(name);
      return { name, mean: r.latency.mean, p99: r.latency.p99, samples: r.latency.samplesCount };
    }),
  );
});

test(`password-hash API at m=${CURRENT_PARAMS.m},t=${CURRENT_PARAMS.t}`, async ({ bench }) => {
  const pepper = { pepper: "bench pepper" };
  const stored = await hashPassword("correct horse battery staple", pepper);
  const results = await bench.compare(
    bench("hashPassword (peppered)", async () => void (await hashPassword("correct horse battery staple", pepper))),
    bench("verifyPasswordHash (peppered)", async () => void (await verifyPasswordHash("correct horse battery staple", stored, pepper))),
    runOptions,
  );
  report(
    "workerd, API:",
    ["hashPassword (peppered)", "verifyPasswordHash (peppered)"].map((name) => {
      const r = results.get(name as "hashPassword (peppered)");
      return { name, mean: r.latency.mean, p99: r.latency.p99, samples: r.latency.samplesCount };
    }),
  );
});
