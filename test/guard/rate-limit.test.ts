// Rate limits: every rule of the policy table admits exactly its budget under a parallel
// burst of 4x; every action is burst-tested through its route; the client IP comes from
// CF-Connecting-IP only; RATE_LIMITS overrides; refusals are audited once per window.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import { DEFAULT_POLICY, parseRateLimits } from "../../src/guard/rate-limit";
import { auditRows, sendWithEnv, statusCounts, waitForAudit } from "../abuse-helpers";
import { call, expectProblem, randomIp, randomToken, register, signUp, STRONG_PASSWORD, uniqueEmail } from "../helpers";

// Many password hashes per test: under a parallel full-suite run they take longer than 5 s.
vi.setConfig({ testTimeout: 30_000 });

const admitted = (statuses: number[]) => statuses.filter((s) => s !== 429).length;

async function burst(n: number, request: (i: number) => Promise<{ status: number }>) {
  return (await Promise.all(Array.from({ length: n }, (_, i) => request(i)))).map((r) => r.status);
}

describe("every rule of the policy table, at the Limiter object", () => {
  for (const [action, rules] of Object.entries(DEFAULT_POLICY)) {
    for (const rule of rules) {
      it(`${action} ${rule.by} ${rule.limit}/${rule.windowSeconds}s: 4x burst admits exactly ${rule.limit}`, async () => {
        const stub = env.LIMITER.get(env.LIMITER.idFromName(`test:${crypto.randomUUID()}`));
        const now = clock.now();
        // hitAll is what enforceRateLimit calls (all windows of one subject at once).
        const window = [{ limit: rule.limit, windowMs: rule.windowSeconds * 1000 }];
        const results = (await Promise.all(Array.from({ length: rule.limit * 4 }, () => stub.hitAll(window, now)))).map(([r]) => r!);
        expect(results.filter((r) => r.allowed)).toHaveLength(rule.limit);
        // Exactly one refusal is flagged as the first of its window (one audit event per flood).
        expect(results.filter((r) => r.firstDenial)).toHaveLength(1);
        // After the window, the budget is back.
        expect((await stub.hitAll(window, now + rule.windowSeconds * 1000 + 1))[0]!.allowed).toBe(true);
      });
    }
  }
});

describe("burst through each route: 4x the tightest budget in parallel admits exactly the budget", () => {
  it("auth.register per IP (3/10 s) and per target email (3/60 s)", async () => {
    const ip = randomIp();
    const byIp = await burst(12, () =>
      call("/api/auth/register", { json: { email: uniqueEmail(), password: STRONG_PASSWORD }, headers: { "cf-connecting-ip": ip } }),
    );
    expect(statusCounts(byIp)).toEqual({ 202: 3, 429: 9 });
    const email = uniqueEmail();
    const byTarget = await burst(12, () => call("/api/auth/register", { json: { email, password: STRONG_PASSWORD } }));
    expect(statusCounts(byTarget)).toEqual({ 202: 3, 429: 9 });
  });

  it("auth.login per IP (3/10 s), and admitted again once the window has passed", async () => {
    const ip = randomIp();
    const statuses = await burst(12, () =>
      call("/api/auth/login", { json: { email: uniqueEmail(), password: STRONG_PASSWORD }, headers: { "cf-connecting-ip": ip } }),
    );
    expect(statusCounts(statuses)).toEqual({ 401: 3, 429: 9 });
    clock.advance(10_001);
    expect((await call("/api/auth/login", { json: { email: uniqueEmail(), password: STRONG_PASSWORD }, headers: { "cf-connecting-ip": ip } })).status).toBe(
      401,
    );
  });

  it("auth.verify-email per IP (10/60 s)", async () => {
    const ip = randomIp();
    const statuses = await burst(40, () =>
      call("/api/auth/verify-email", { json: { registrationToken: randomToken(), code: "123456" }, headers: { "cf-connecting-ip": ip } }),
    );
    expect(admitted(statuses)).toBe(10);
  });

  it("auth.resend-verification per IP (3/60 s) and per target (3/60 s)", async () => {
    const ip = randomIp();
    expect(
      statusCounts(
        await burst(12, () => call("/api/auth/resend-verification", { json: { registrationToken: randomToken() }, headers: { "cf-connecting-ip": ip } })),
      ),
    ).toEqual({ 404: 3, 429: 9 });
    const { registrationToken } = await register();
    expect(statusCounts(await burst(12, () => call("/api/auth/resend-verification", { json: { registrationToken } })))).toEqual({ 202: 3, 429: 9 });
  });

  it("auth.password-forgot per IP (3/60 s) and per target (3/60 s)", async () => {
    const path = "/api/auth/password/forgot";
    const ip = randomIp();
    expect(statusCounts(await burst(12, () => call(path, { json: { email: uniqueEmail() }, headers: { "cf-connecting-ip": ip } })))).toEqual({
      202: 3,
      429: 9,
    });
    const email = uniqueEmail();
    expect(statusCounts(await burst(12, () => call(path, { json: { email } })))).toEqual({ 202: 3, 429: 9 });
  });

  it("auth.password-reset per IP (10/60 s)", async () => {
    const ip = randomIp();
    // Made-up link tokens: unlike codes for addresses with nothing live, they are not also
    // charged to code.no-challenge, so this measures the route's own rule.
    const statuses = await burst(40, () =>
      call("/api/auth/password/reset", { json: { token: randomToken(), password: STRONG_PASSWORD }, headers: { "cf-connecting-ip": ip } }),
    );
    expect(admitted(statuses)).toBe(10);
  });

  it("auth.refresh per IP (60/60 s)", async () => {
    const ip = randomIp();
    const statuses = await burst(240, () => call("/api/auth/refresh", { method: "POST", headers: { "cf-connecting-ip": ip } }));
    expect(statusCounts(statuses)).toEqual({ 401: 60, 429: 180 });
  });

  it("me.password per account (5/60 s), across IPs; the flood is audited once", async () => {
    const { accessToken, user } = await signUp();
    const statuses = await burst(20, () =>
      call("/api/me/password", { json: { currentPassword: "wrong wrong wrong wrong", newPassword: "another good long passphrase" }, token: accessToken }),
    );
    expect(statusCounts(statuses)).toEqual({ 401: 5, 429: 15 });
    const [event] = await waitForAudit(user.id, "rate_limited");
    expect(event).toMatchObject({ user_id: user.id, type: "rate_limited", ip: expect.stringMatching(/^10\./) });
    expect(JSON.parse(event!.detail!)).toEqual({ action: "me.password", rule: "account:5/60s" });
    await new Promise((r) => setTimeout(r, 100));
    expect((await auditRows(user.id)).filter((r) => r.type === "rate_limited")).toHaveLength(1);
  });

  for (const [action, path] of [
    ["me.sessions", "/api/me/sessions"],
    ["me.activity", "/api/me/activity"],
  ] as const) {
    it(`${action} per account (30/60 s)`, async () => {
      const { accessToken } = await signUp();
      expect(statusCounts(await burst(120, () => call(path, { token: accessToken })))).toEqual({ 200: 30, 429: 90 });
    });
  }
});

describe("429 responses", () => {
  it("are problem+json rate_limited with Retry-After and the IETF RateLimit-Policy / RateLimit headers", async () => {
    const ip = randomIp();
    const json = { email: uniqueEmail() };
    for (let i = 0; i < 3; i++) {
      const ok = await call("/api/auth/password/forgot", { json, headers: { "cf-connecting-ip": ip } });
      expect(ok.status).toBe(202);
    }
    const res = await call("/api/auth/password/forgot", { json, headers: { "cf-connecting-ip": ip } });
    expectProblem(res, 429, "rate_limited");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers.get("ratelimit-policy")).toMatch(/^"(ip|target)-60s";q=3;w=60$/);
    expect(res.headers.get("ratelimit")).toMatch(/^"(ip|target)-60s";r=0;t=\d+$/);
  });
});

describe("client IP", () => {
  it("comes from CF-Connecting-IP only: a spoofed X-Forwarded-For changes nothing", async () => {
    const ip = randomIp();
    const statuses = await burst(8, (i) =>
      call("/api/auth/login", {
        json: { email: uniqueEmail(), password: STRONG_PASSWORD },
        headers: { "cf-connecting-ip": ip, "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `198.51.100.${i}`, "true-client-ip": `192.0.2.${i}` },
      }),
    );
    expect(statusCounts(statuses)).toEqual({ 401: 3, 429: 5 });
    // And the same X-Forwarded-For from different connecting IPs does not share a budget.
    const shared = await burst(8, () =>
      call("/api/auth/login", { json: { email: uniqueEmail(), password: STRONG_PASSWORD }, headers: { "x-forwarded-for": "203.0.113.7" } }),
    );
    expect(statusCounts(shared)).toEqual({ 401: 8 });
  });

  it("is what the audit trail records, not X-Forwarded-For", async () => {
    const { email, user } = await signUp();
    const ip = randomIp();
    expect(
      (await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD }, headers: { "cf-connecting-ip": ip, "x-forwarded-for": "203.0.113.99" } }))
        .status,
    ).toBe(200);
    const rows = await waitForAudit(user.id, "sign_in.success", 2);
    expect(rows.at(-1)!.ip).toBe(ip);
  });
});

describe("RATE_LIMITS configuration", () => {
  it("replaces the rules of the actions it names", async () => {
    const vars = { RATE_LIMITS: JSON.stringify({ "auth.login": [{ by: "ip", limit: 1, windowSeconds: 120 }] }) };
    const ip = randomIp();
    const first = await sendWithEnv(vars, "/api/auth/login", {
      json: { email: uniqueEmail(), password: STRONG_PASSWORD },
      headers: { "cf-connecting-ip": ip },
    });
    expect(first.status).toBe(401);
    const second = await sendWithEnv(vars, "/api/auth/login", {
      json: { email: uniqueEmail(), password: STRONG_PASSWORD },
      headers: { "cf-connecting-ip": ip },
    });
    expectProblem(second, 429, "rate_limited");
    expect(second.headers.get("ratelimit-policy")).toBe('"ip-120s";q=1;w=120');
  });

  it("is ignored (defaults stay) when malformed, never read as 'no limits'", () => {
    expect(parseRateLimits("{not json")).toEqual({});
    expect(parseRateLimits(JSON.stringify({ "auth.login": [{ by: "ip", limit: 0, windowSeconds: 10 }] }))).toEqual({});
    expect(parseRateLimits(JSON.stringify({ "auth.login": [{ by: "cookie", limit: 3, windowSeconds: 10 }] }))).toEqual({});
    expect(parseRateLimits(JSON.stringify({ "auth.login": [{ by: "account", limit: 5, windowSeconds: 60 }] }))).toEqual({
      "auth.login": [{ by: "account", limit: 5, windowSeconds: 60 }],
    });
    expect(parseRateLimits(undefined)).toEqual({});
  });
});
