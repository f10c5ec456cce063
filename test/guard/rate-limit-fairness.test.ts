// Rate limits that hold at the edge: IPv6 clients keyed on their /64 (and /48 rules for
// sign-in and code sends), refused requests charged nowhere, the per-country SMS budget
// charged only for messages queued, empty RATE_LIMITS lists ignored, and a daily cap on
// "account exists" notices per address.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import { ApiError } from "../../src/errors";
import { clientNetwork } from "../../src/guard/client-network";
import { DEFAULT_POLICY, enforceRateLimit, parseRateLimits, type Subjects } from "../../src/guard/rate-limit";
import { sendWithEnv, statusCounts } from "../abuse-helpers";
import { call, outbox, signUp, STRONG_PASSWORD, uniqueEmail, waitForCount } from "../helpers";
import { uniquePhone, userWithPhone } from "../phone-helpers";

vi.setConfig({ testTimeout: 30_000 });

/** A route-less context for enforceRateLimit: what the function reads, nothing more. */
function contextFor(e: Env) {
  return {
    env: e,
    header: () => {},
    get: () => undefined,
    req: { raw: new Request("http://127.0.0.1/") },
    executionCtx: { waitUntil: () => {} },
  } as unknown as Parameters<typeof enforceRateLimit>[0];
}
const outcome = (p: Promise<void>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof ApiError ? e.code : `other: ${e}`),
  );
const okCount = (outcomes: string[]) => outcomes.filter((o) => o === "ok").length;

let site = Math.floor(Math.random() * 0xffff);
/** A fresh /48 (2001:db8:XXXX::/48) per call; addresses inside it by /64 index and host. */
const freshSite = () => {
  const s = (site++ & 0xffff).toString(16);
  return (subnet: number, host = 1) => `2001:db8:${s}:${subnet.toString(16)}::${host.toString(16)}`;
};

describe("client networks", () => {
  it("keys IPv6 on the /64 and the /48, IPv4 (and IPv4-mapped IPv6) on the address", () => {
    expect(clientNetwork("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toEqual({ ip: "2001:db8:1:2::/64", ip48: "2001:db8:1::/48" });
    expect(clientNetwork("2001:DB8:1:2::9")).toEqual({ ip: "2001:db8:1:2::/64", ip48: "2001:db8:1::/48" });
    expect(clientNetwork("2001:db8::1")).toEqual({ ip: "2001:db8:0:0::/64", ip48: "2001:db8:0::/48" });
    expect(clientNetwork("::1")).toEqual({ ip: "0:0:0:0::/64", ip48: "0:0:0::/48" });
    expect(clientNetwork("fe80::1%eth0")).toEqual({ ip: "fe80:0:0:0::/64", ip48: "fe80:0:0::/48" });
    expect(clientNetwork("::ffff:203.0.113.9")).toEqual({ ip: "203.0.113.9" });
    expect(clientNetwork("203.0.113.9")).toEqual({ ip: "203.0.113.9" });
    for (const odd of ["unknown", "1:2:3", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::1", "::ffff:300.1.1.1", "g::1"])
      expect(clientNetwork(odd)).toEqual({ ip: odd });
  });

  it("two addresses of one /64 share a per-IP budget (sign-in: 3 per 10 s)", async () => {
    const at = freshSite();
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call("/api/auth/login", { json: { email: uniqueEmail(), password: STRONG_PASSWORD }, headers: { "cf-connecting-ip": at(7, i + 1) } }),
      ),
    );
    expect(statusCounts(statuses.map((r) => r.status))).toEqual({ 401: 3, 429: 9 });
  });

  it("other /64s of one /48 meet the /48 rule", async () => {
    const at = freshSite();
    const ctx = contextFor(env);
    // Sign-in: 20 per 10 s per /48, each request from its own /64 (so no /64 rule bites).
    const logins = await Promise.all(Array.from({ length: 80 }, (_, i) => outcome(enforceRateLimit(ctx, "auth.login", { ip: at(i) }))));
    expect(okCount(logins)).toBe(20);
    // Another /48 is not affected.
    await expect(enforceRateLimit(ctx, "auth.login", { ip: freshSite()(1) })).resolves.toBeUndefined();
  });

  for (const action of ["auth.login", "code.send-phone", "code.send-email"] as const) {
    for (const rule of DEFAULT_POLICY[action].filter((r) => r.by === "ip48" && r.windowSeconds <= 60)) {
      it(`${action} ip48 ${rule.limit}/${rule.windowSeconds}s: a 4x burst from distinct /64s admits exactly ${rule.limit}`, async () => {
        const at = freshSite();
        const ctx = contextFor(env);
        const prefix = uniquePhone().slice(0, -3);
        const subjects = (i: number): Subjects => ({
          ip: at(i),
          target: action === "code.send-email" ? uniqueEmail() : `${prefix}${i.toString().padStart(3, "0")}`,
        });
        const outcomes = await Promise.all(Array.from({ length: rule.limit * 4 }, (_, i) => outcome(enforceRateLimit(ctx, action, subjects(i)))));
        expect(okCount(outcomes)).toBe(rule.limit);
        expect(outcomes.filter((o) => o !== "ok").every((o) => o === "rate_limited")).toBe(true);
        clock.advance(rule.windowSeconds * 1000 + 1);
        await expect(enforceRateLimit(ctx, action, subjects(rule.limit * 4))).resolves.toBeUndefined();
      });
    }
  }
});

describe("a refused request is charged nowhere", () => {
  const vars = {
    RATE_LIMITS: JSON.stringify({
      "auth.password-forgot": [
        { by: "ip", limit: 2, windowSeconds: 60 },
        { by: "target", limit: 5, windowSeconds: 60 },
      ],
    }),
  };

  it("one client flooding past its own limit does not use up the target's budget", async () => {
    const e = { ...env, ...vars } as Env;
    const ctx = contextFor(e);
    const target = uniqueEmail("victim");
    // The attacker: 4x its per-IP budget at one target, in parallel. Two get through.
    const attacker = await Promise.all(Array.from({ length: 8 }, () => outcome(enforceRateLimit(ctx, "auth.password-forgot", { ip: "203.0.113.50", target }))));
    expect(okCount(attacker)).toBe(2);
    // Everyone else still has what the two admitted requests left: 3 of 5.
    const others = await Promise.all(
      Array.from({ length: 12 }, (_, i) => outcome(enforceRateLimit(ctx, "auth.password-forgot", { ip: `203.0.113.${100 + i}`, target }))),
    );
    expect(okCount(others)).toBe(3);
  });

  it("is refunded in the windows of its own subject too (all or nothing per object)", async () => {
    const stub = env.LIMITER.get(env.LIMITER.idFromName(`test:${crypto.randomUUID()}`));
    const now = clock.now();
    const windows = [
      { limit: 2, windowMs: 10_000 },
      { limit: 5, windowMs: 60_000 },
    ];
    const results = await Promise.all(Array.from({ length: 8 }, () => stub.hitAll(windows, now)));
    expect(results.filter((r) => r.every((w) => w.allowed))).toHaveLength(2);
    // Past the short window: the long one counted only the 2 admitted, so 3 remain.
    const later = await Promise.all(Array.from({ length: 8 }, () => stub.hitAll(windows, now + 10_001)));
    expect(later.filter((r) => r.every((w) => w.allowed))).toHaveLength(2);
    const after = await Promise.all(Array.from({ length: 8 }, () => stub.hitAll(windows, now + 20_002)));
    expect(after.filter((r) => r.every((w) => w.allowed))).toHaveLength(1);
    // A refund takes back exactly one hit at that moment.
    await stub.refund(windows, now + 20_002);
    expect((await stub.hitAll(windows, now + 20_002)).every((w) => w.allowed)).toBe(true);
  });
});

describe("the per-country SMS budget", () => {
  // Two messages per hour to +34 under this policy (its own key: no other test uses limit 2).
  const vars = {
    RATE_LIMITS: JSON.stringify({
      "code.send-phone": [
        { by: "target", limit: 1, windowSeconds: 60 },
        { by: "country", limit: 2, windowSeconds: 3600 },
      ],
    }),
  };

  it("is charged only for messages actually queued, not for codes to numbers nobody owns", async () => {
    const { phone } = await userWithPhone();
    const before = (await outbox(phone)).length;
    // Many codes "sent" to unknown numbers of the country: none is queued, none is charged.
    for (let i = 0; i < 6; i++) expect((await sendWithEnv(vars, "/api/auth/otp/send", { json: { phone: uniquePhone() } })).status).toBe(202);
    // The owner still gets both messages of the budget...
    expect((await sendWithEnv(vars, "/api/auth/otp/send", { json: { phone } })).status).toBe(202);
    clock.advance(61_000);
    expect((await sendWithEnv(vars, "/api/auth/otp/send", { json: { phone } })).status).toBe(202);
    expect(await outbox(phone)).toHaveLength(before + 2);
    // ...and the third is not sent (the answer stays the same 202: no oracle).
    clock.advance(61_000);
    expect((await sendWithEnv(vars, "/api/auth/otp/send", { json: { phone } })).status).toBe(202);
    expect(await outbox(phone)).toHaveLength(before + 2);
  });
});

describe("RATE_LIMITS", () => {
  it("an empty list for an action keeps that action's defaults (never 'no limits')", async () => {
    expect(parseRateLimits(JSON.stringify({ "auth.login": [] }))).toEqual({});
    expect(parseRateLimits(JSON.stringify({ "auth.login": [], "me.password": [{ by: "account", limit: 1, windowSeconds: 60 }] }))).toEqual({
      "me.password": [{ by: "account", limit: 1, windowSeconds: 60 }],
    });
    const vars = { RATE_LIMITS: JSON.stringify({ "auth.login": [] }) };
    const ip = "203.0.113.200";
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await sendWithEnv(vars, "/api/auth/login", { json: { email: uniqueEmail(), password: STRONG_PASSWORD }, headers: { "cf-connecting-ip": ip } })).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe("registration of a taken address", () => {
  it("mails the owner at most 3 'account exists' notices a day (4x burst of registrations)", async () => {
    const { email } = await signUp();
    const notices = async () => (await outbox(email)).filter((m) => /already have one/.test(m.text));
    const vars = { RATE_LIMITS: JSON.stringify({ "auth.register": [{ by: "ip", limit: 100, windowSeconds: 60 }] }) };
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () => sendWithEnv(vars, "/api/auth/register", { json: { email, password: STRONG_PASSWORD } })),
    );
    expect(statusCounts(statuses.map((r) => r.status))).toEqual({ 202: 12 });
    await waitForCount(notices, 3);
    expect(await notices()).toHaveLength(3);
    clock.advance(86_400_000 + 1);
    expect((await sendWithEnv(vars, "/api/auth/register", { json: { email, password: STRONG_PASSWORD } })).status).toBe(202);
    expect(await notices()).toHaveLength(4);
  });
});
