// Concurrent HTTP throughput of the hot paths under `wrangler dev` (the setting
// docs/architecture.md §8 states its bars in), as ratios to a bare JSON route in the same run.
// Loopback only, bounded in time, and the server it starts is stopped by its pid.
//   npm run bench:http   (env: BENCH_SECONDS=2 BENCH_ROUNDS=5 BENCH_CONCURRENCY=10)
// In-workerd benchmarks (bench/routes.bench.ts) measure one request at a time with the
// runtime's coarse timer; this measures what a loaded isolate sustains.
// The client must cost less than the server, or every ratio drifts towards 1: requests go
// over keep-alive connections (an undici Pool with one connection per loop, no new TCP
// or HTTP setup per request) and responses are drained without parsing where possible.
import { Pool } from "undici";
import { newPepper, newSigningKey } from "./keys.mjs";
import { signUpViaOutbox, startLocalServer } from "./local-server.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const PASSWORD = "correct horse battery staple 42";

// Generous limits so the benchmark's own traffic is not refused, but the Limiter object
// is still consulted on every request (its cost is part of what is measured). A 1 s
// window keeps the sliding-window log short. The lockout threshold is raised because
// concurrent sign-ins to one account each count until their password check finishes.
const open = [{ by: "ip", limit: 100_000, windowSeconds: 1 }];
const server = await startLocalServer({
  vars: {
    JWT_PRIVATE_KEYS: JSON.stringify([newSigningKey()]),
    PASSWORD_PEPPER: newPepper(),
    RATE_LIMITS: JSON.stringify(Object.fromEntries(["auth.register", "auth.login", "auth.verify-email", "auth.refresh"].map((a) => [a, open]))),
    LOCKOUT_THRESHOLD: "100",
  },
});
const ORIGIN = server.origin;
process.on("SIGINT", () => server.stop().then(() => process.exit(130)));

const pool = new Pool(ORIGIN, { connections: CONCURRENCY, pipelining: 1 });
/** One request over the pool: `{status, json()}`; call `drain()` when the body is not needed. */
async function request(method, path, { headers = {}, body } = {}) {
  const res = await pool.request({ method, path, headers, body });
  return { status: res.statusCode, json: () => res.body.json(), drain: () => res.body.dump() };
}
const get = (path, headers) => request("GET", path, { headers });
const post = (path, body, headers = {}) =>
  request("POST", path, { headers: { "content-type": "application/json", "x-token-transport": "body", ...headers }, body: JSON.stringify(body) });

/** CONCURRENCY loops for SECONDS; each loop gets its own state (e.g. its own refresh token). */
async function measure(makeLoop) {
  const deadline = performance.now() + SECONDS * 1000;
  let ok = 0;
  let failed = 0;
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      const once = await makeLoop(i);
      while (performance.now() < deadline) {
        const t = performance.now();
        if (await once()) ok++;
        else failed++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { ok, failed, seconds: (performance.now() - started) / 1000, latencies };
}

const expect = (status) => async (res) => {
  await res.drain();
  return res.status === status;
};

try {
  const email = `bench.${Date.now()}@example.com`;
  const first = await signUpViaOutbox(ORIGIN, email, PASSWORD);
  // Warm up every route once (module init, key import, first D1/DO access) outside the clock.
  for (const path of ["/api/ping", "/api/me", "/api/me/token"]) await (await get(path, { authorization: `Bearer ${first.accessToken}` })).drain();
  const auth = { authorization: `Bearer ${first.accessToken}` };
  // One session per refresh loop: a refresh token is single use.
  const refreshTokens = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => (await (await post("/api/auth/login", { email, password: PASSWORD })).json()).refreshToken),
  );

  const routes = [
    ["bare GET /api/ping", () => async () => expect(200)(await get("/api/ping"))],
    ["token GET /api/me/token", () => async () => expect(200)(await get("/api/me/token", auth))],
    ["me GET /api/me", () => async () => expect(200)(await get("/api/me", auth))],
    [
      "refresh POST /api/auth/refresh",
      (i) => async () => {
        const res = await post("/api/auth/refresh", { refreshToken: refreshTokens[i] });
        if (res.status !== 200) return expect(200)(res);
        refreshTokens[i] = (await res.json()).refreshToken;
        return true;
      },
    ],
    ["sign-in POST /api/auth/login", () => async () => expect(200)(await post("/api/auth/login", { email, password: PASSWORD }))],
  ];
  // Interleaved rounds: load from anything else on the machine then weighs on every route
  // alike instead of on whichever happened to run during it. Each round's ratios divide by
  // that round's bare figure; the median over rounds is the headline (robust to a noisy
  // round), the pooled ratio is printed beside it.
  const totals = new Map(routes.map(([name]) => [name, { ok: 0, failed: 0, seconds: 0, latencies: [], ratios: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    let bare = 0;
    for (const [name, makeLoop] of routes) {
      const r = await measure(makeLoop);
      const t = totals.get(name);
      t.ok += r.ok;
      t.failed += r.failed;
      t.seconds += r.seconds;
      t.latencies.push(...r.latencies);
      const rate = r.ok / r.seconds;
      if (name === routes[0][0]) bare = rate;
      t.ratios.push(rate / bare);
    }
  }
  const rps = (t) => t.ok / t.seconds;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = rps(totals.get(routes[0][0]));
  console.log(`wrangler dev on ${ORIGIN}: ${CONCURRENCY} keep-alive connections (one per loop), ${ROUNDS} interleaved rounds of ${SECONDS} s per route`);
  for (const [name, t] of totals) {
    t.latencies.sort((a, b) => a - b);
    const q = (p) => (t.latencies[Math.floor(t.latencies.length * p)] ?? 0).toFixed(1).padStart(7);
    const spread = `${Math.min(...t.ratios).toFixed(2)}-${Math.max(...t.ratios).toFixed(2)}`;
    console.log(
      `  ${name.padEnd(32)} ${rps(t).toFixed(1).padStart(8)} req/s  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  ${median(t.ratios).toFixed(3)}x bare (median; pooled ${(rps(t) / base).toFixed(3)}x, rounds ${spread})${t.failed ? `  (${t.failed} failed)` : ""}`,
    );
  }
} finally {
  await pool.close();
  await server.stop();
}
