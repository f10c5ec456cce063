// Request cost of the hot paths, through SELF.fetch inside workerd, in ONE run so the
// ratios compare like with like (docs/architecture.md §8: report ratios to a bare route).
//   bare      GET /api/ping                  no store, the baseline
//   token     GET /api/me/token + Bearer     JWT verify only (signature, iss, aud, typ, exp)
//   me        GET /api/me + Bearer           JWT verify + one D1 read
//   refresh   POST /api/auth/refresh         rate-limit DO + SessionFence DO rotate + JWT sign
//   sign-in   POST /api/auth/login           rate-limit DOs + D1 + Argon2id verify + session
// These are sequential latencies (one request at a time): ratio = bare mean / route mean,
// i.e. the throughput ratio of one client. `npm run bench:http` measures concurrent
// throughput under `wrangler dev`, which is what docs/architecture.md §8's bars are stated in.
// Run: npx vitest bench --run bench/routes.bench.ts
import { env, SELF } from "cloudflare:test";
import { test } from "vitest";
import { issueAccessToken, verifyAccessToken } from "../src/auth/access-token";
import { clock } from "../src/clock";

const ORIGIN = "http://127.0.0.1:8787";
const PASSWORD = "correct horse battery staple 42";
const HEADERS = { "user-agent": "bench", "cf-connecting-ip": "198.51.100.7" };

async function fetchJson(path: string, init: RequestInit = {}) {
  const res = await SELF.fetch(`${ORIGIN}${path}`, { ...init, headers: { ...HEADERS, ...(init.headers as Record<string, string>) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function signUp(email: string) {
  await fetchJson("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  for (let i = 0; i < 200; i++) {
    const { body } = await fetchJson(`/api/dev/outbox?to=${encodeURIComponent(email)}`);
    const code = /\b(\d{6})\b/.exec(body?.messages?.[0]?.text ?? "")?.[1];
    if (code) {
      const verified = await fetchJson("/api/auth/verify-email", {
        method: "POST",
        headers: { "content-type": "application/json", "x-token-transport": "body" },
        body: JSON.stringify({ email, code }),
      });
      return verified.body as { accessToken: string; refreshToken: string };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("no verification code");
}

function expectStatus(res: Response, status: number) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}`);
}

test("hot paths as ratios to a bare JSON route (sequential, in workerd)", async ({ bench }) => {
  const email = `bench.${Date.now()}@example.com`;
  const session = await signUp(email);
  let refreshToken = session.refreshToken;
  let calls = 0;
  // Sliding the clock past the rate-limit windows keeps one client IP (one Limiter
  // object, as in real use) without the limits refusing the benchmark's own traffic.
  const slideRateLimits = (every: number, ms: number) => {
    if (++calls % every === 0) clock.advance(ms);
  };

  const names = [
    "bare GET /api/ping",
    "token GET /api/me/token",
    "me GET /api/me (D1)",
    "refresh POST /api/auth/refresh",
    "sign-in POST /api/auth/login",
  ] as const;
  // The refresh and sign-in tasks move the clock, which can expire the access token the
  // other tasks use: re-mint it (outside the timed call) whenever that happened.
  let accessToken = session.accessToken;
  let mintedAt = clock.now();
  const { claims } = (await verifyAccessToken(env, accessToken)) as { ok: true; claims: { sub: string; sid: string } };
  const auth = () => {
    if (clock.now() - mintedAt > 5 * 60_000) throw new Error("stale token");
    return { authorization: `Bearer ${accessToken}` };
  };
  const freshToken = async () => {
    if (clock.now() - mintedAt <= 5 * 60_000) return;
    accessToken = (await issueAccessToken(env, claims.sub, claims.sid)).token;
    mintedAt = clock.now();
  };
  const results = await bench.compare(
    bench(names[0], async () => {
      const res = await SELF.fetch(`${ORIGIN}/api/ping`, { headers: HEADERS });
      expectStatus(res, 200);
      await res.arrayBuffer();
    }),
    bench(names[1], { beforeAll: freshToken }, async () => {
      const res = await SELF.fetch(`${ORIGIN}/api/me/token`, { headers: { ...HEADERS, ...auth() } });
      expectStatus(res, 200);
      await res.arrayBuffer();
    }),
    bench(names[2], { beforeAll: freshToken }, async () => {
      const res = await SELF.fetch(`${ORIGIN}/api/me`, { headers: { ...HEADERS, ...auth() } });
      expectStatus(res, 200);
      await res.arrayBuffer();
    }),
    bench(names[3], async () => {
      slideRateLimits(50, 61_000);
      const res = await SELF.fetch(`${ORIGIN}/api/auth/refresh`, {
        method: "POST",
        headers: { ...HEADERS, "content-type": "application/json", "x-token-transport": "body" },
        body: JSON.stringify({ refreshToken }),
      });
      expectStatus(res, 200);
      refreshToken = ((await res.json()) as { refreshToken: string }).refreshToken;
    }),
    bench(names[4], async () => {
      slideRateLimits(3, 3601_000);
      const res = await SELF.fetch(`${ORIGIN}/api/auth/login`, {
        method: "POST",
        headers: { ...HEADERS, "content-type": "application/json", "x-token-transport": "body" },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      expectStatus(res, 200);
      await res.arrayBuffer();
    }),
    { time: 1500, warmupIterations: 5 },
  );

  const bare = results.get(names[0]).latency.mean;
  const lines = names.map((name) => {
    const l = results.get(name).latency;
    return `  ${name.padEnd(34)} mean ${l.mean.toFixed(3).padStart(8)} ms  p99 ${l.p99.toFixed(3).padStart(8)} ms  n=${String(l.samplesCount).padStart(5)}  ${(bare / l.mean).toFixed(3)}x bare`;
  });
  console.log(["workerd via SELF.fetch, sequential, one run:", ...lines].join("\n"));
});
