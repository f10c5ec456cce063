// The audit trail: each security event with its fields (time, user, IP, user agent,
// country/city from request.cf, session id) and no secrets; the user's own history at
// GET /api/me/activity; retention and purge by the daily cron.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import worker from "../../src/index";
import { auditRows, expectNoSecrets, send, waitForAudit } from "../abuse-helpers";
import {
  call,
  codeFrom,
  randomIp,
  expectProblem,
  legacyUnverifiedUser,
  refreshCookieFrom,
  register,
  signUp,
  STRONG_PASSWORD,
  uniqueEmail,
  waitForMessages,
} from "../helpers";

// Many password hashes per test: under a parallel full-suite run they take longer than 5 s.
vi.setConfig({ testTimeout: 30_000 });

const UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const CF = { country: "FR", city: "Lyon" };
// Each test signs in from its own IP, so the per-IP sign-in limit of one test does not bite the next.
let from: { headers: Record<string, string>; cf: typeof CF };
let request: Record<string, string>;
beforeEach(() => {
  const ip = randomIp();
  from = { headers: { "user-agent": UA, "cf-connecting-ip": ip }, cf: CF };
  request = { ip, user_agent: UA, country: "FR", city: "Lyon" };
});

describe("audit events", () => {
  it("records sign-in success and failures with the request's facts", async () => {
    const { email, user } = await signUp();
    expect((await send("/api/auth/login", { json: { email, password: "not the password at all!" }, ...from })).status).toBe(401);
    const ok = await send("/api/auth/login", { json: { email, password: STRONG_PASSWORD }, ...from });
    expect(ok.status).toBe(200);

    const [failure] = await waitForAudit(user.id, "sign_in.failure");
    expect(failure).toMatchObject({ user_id: user.id, reason: "bad_password", session_id: null, ...request, created_at: expect.any(Number) });
    const successes = await waitForAudit(user.id, "sign_in.success", 2);
    const success = successes.at(-1)!;
    expect(success).toMatchObject({ user_id: user.id, ...request });
    expect(success.session_id).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(JSON.parse(success.detail!)).toEqual({ method: "password" });
    expect(Math.abs(success.created_at - clock.now())).toBeLessThan(10_000);
    for (const row of await auditRows(user.id))
      expectNoSecrets(row, [STRONG_PASSWORD, "not the password at all!", ok.body.accessToken, refreshCookieFrom(ok.headers).split("=")[1]!]);
  });

  it("records sign-in refused for an unverified (legacy) email", async () => {
    const email = uniqueEmail();
    const userId = await legacyUnverifiedUser(email);
    expect((await send("/api/auth/login", { json: { email, password: STRONG_PASSWORD }, ...from })).status).toBe(403);
    const [refused] = await waitForAudit(userId, "sign_in.failure");
    expect(refused).toMatchObject({ reason: "email_not_verified", ...request });
  });

  it("records email verification (with the new session)", async () => {
    const { registrationToken, message } = await register();
    const code = codeFrom(message);
    const verified = await send("/api/auth/verify-email", { json: { registrationToken, code }, ...from });
    expect(verified.status).toBe(200);
    const userId = verified.body.user.id;
    const [event] = await waitForAudit(userId, "email.verified");
    expect(event).toMatchObject({ user_id: userId, ...request, session_id: expect.any(String) });
    for (const row of await auditRows(userId)) expectNoSecrets(row, [code, STRONG_PASSWORD]);
  });

  it("records refresh-token reuse and sign-out with the session id", async () => {
    const { user, cookie } = await signUp();
    const rotated = await send("/api/auth/refresh", { method: "POST", cookie, ...from });
    expect(rotated.status).toBe(200);
    expectProblem(await send("/api/auth/refresh", { method: "POST", cookie, ...from }), 401, "token_reused");
    const [reuse] = await waitForAudit(user.id, "refresh_token.reused");
    expect(reuse).toMatchObject({ user_id: user.id, session_id: expect.any(String), ...request });

    const other = await send("/api/auth/login", { json: { email: user.email, password: STRONG_PASSWORD }, ...from });
    const out = await send("/api/auth/logout", { method: "POST", cookie: refreshCookieFrom(other.headers), ...from });
    expect(out.status).toBe(204);
    const [signOut] = await waitForAudit(user.id, "sign_out");
    expect(signOut).toMatchObject({ user_id: user.id, ...request });
    const success = (await waitForAudit(user.id, "sign_in.success", 2)).at(-1)!;
    expect(signOut!.session_id).toBe(success.session_id);
    for (const row of await auditRows(user.id)) expectNoSecrets(row, [cookie.split("=")[1]!]);
  });

  it("records password change and password reset", async () => {
    const { email, user, accessToken } = await signUp();
    const changed = "a second long passphrase for audit";
    expect((await send("/api/me/password", { json: { currentPassword: STRONG_PASSWORD, newPassword: changed }, token: accessToken, ...from })).status).toBe(
      204,
    );
    const [change] = await waitForAudit(user.id, "password.changed");
    expect(change).toMatchObject({ user_id: user.id, session_id: expect.any(String), ...request });
    expect(JSON.parse(change!.detail!)).toEqual({ endedSessions: 0 });

    await call("/api/auth/password/forgot", { json: { email } });
    const reset = (await waitForMessages(email, 3)).find((m) => /reset code/.test(m.subject))!;
    const code = codeFrom(reset);
    const third = "a third long passphrase for audit";
    expect((await send("/api/auth/password/reset", { json: { email, code, password: third }, ...from })).status).toBe(204);
    const [resetEvent] = await waitForAudit(user.id, "password.reset");
    expect(resetEvent).toMatchObject({ user_id: user.id, ...request });
    expect(JSON.parse(resetEvent!.detail!)).toEqual({ endedSessions: 1, channel: "email" });
    for (const row of await auditRows(user.id)) expectNoSecrets(row, [code, changed, third, STRONG_PASSWORD]);
  });
});

describe("GET /api/me/activity", () => {
  it("pages through the user's own events, newest first, and shows no one else's", async () => {
    const a = await signUp();
    const b = await signUp();
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      await call("/api/auth/login", { json: { email: a.email, password: STRONG_PASSWORD } });
    }
    await waitForAudit(a.user.id, "sign_in.success", 5);
    const seen: { id: string; at: string }[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof call>> = await call(`/api/me/activity?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
        token: a.accessToken,
      });
      expect(res.status).toBe(200);
      expect(res.body.events.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.events);
      cursor = res.body.nextCursor;
    } while (cursor);
    const all = await auditRows(a.user.id);
    // Newest first; events of the same millisecond in a stable order (by id).
    const newestFirst = [...all].sort((x, y) => y.created_at - x.created_at || (y.id < x.id ? -1 : 1));
    expect(seen.map((e) => e.id)).toEqual(newestFirst.map((r) => r.id));
    expect(seen[0]).toMatchObject({
      type: "sign_in.success",
      at: expect.any(String),
      device: "Firefox on Linux",
      ip: expect.any(String),
      sessionId: expect.any(String),
    });
    expect(seen.map((e) => e.at)).toEqual([...seen.map((e) => e.at)].sort().reverse());
    const bIds = new Set((await auditRows(b.user.id)).map((r) => r.id));
    expect(seen.some((e) => bIds.has(e.id))).toBe(false);
  });

  it("refuses bad cursors and limits with a 400", async () => {
    const { accessToken } = await signUp();
    for (const q of ["cursor=abc", "cursor=1.%27%20OR%201%3D1", "limit=0", "limit=101", "limit=ten", `cursor=${"9".repeat(40)}.x`]) {
      expectProblem(await call(`/api/me/activity?${q}`, { token: accessToken }), 400, "validation_failed");
    }
    expectProblem(await call("/api/me/activity"), 401, "unauthorized");
  });
});

async function runCron() {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ scheduledTime: clock.now(), cron: "17 3 * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const countRows = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>())!.n;

describe("daily cron", () => {
  it("deletes audit events past the retention (90 days) and keeps newer ones", async () => {
    const { user } = await signUp();
    await waitForAudit(user.id, "sign_in.success");
    const before = (await auditRows(user.id)).length;
    clock.advance(89 * 86400_000);
    await runCron();
    expect(await auditRows(user.id)).toHaveLength(before);
    clock.advance(2 * 86400_000);
    await call("/api/auth/login", { json: { email: user.email, password: STRONG_PASSWORD } });
    await waitForAudit(user.id, "sign_in.success", 2);
    await runCron();
    const left = await auditRows(user.id);
    expect(left).toHaveLength(1);
    expect(left[0]!.type).toBe("sign_in.success");
  });

  it("deletes accounts left unverified for 7 days (and their password), keeping verified ones and ones with another identity", async () => {
    // Registration no longer writes unverified accounts; these are rows it left before.
    const stale = uniqueEmail();
    const withPhone = uniqueEmail();
    await legacyUnverifiedUser(stale);
    await legacyUnverifiedUser(withPhone);
    const verified = await signUp();
    const idOf = async (email: string) => (await env.DB.prepare("select id from users where email = ?").bind(email).first<{ id: string }>())!.id;
    const staleId = await idOf(stale);
    await env.DB.prepare("insert into identities (id, user_id, provider, subject, email_verified, created_at) values (?, ?, 'phone', ?, 0, ?)")
      .bind(crypto.randomUUID(), await idOf(withPhone), `+1555${Date.now()}`, clock.now())
      .run();

    clock.advance(6 * 86400_000);
    await runCron();
    expect(await countRows("select count(*) as n from users where id = ?", staleId)).toBe(1);

    clock.advance(2 * 86400_000);
    await runCron();
    expect(await countRows("select count(*) as n from users where id = ?", staleId)).toBe(0);
    expect(await countRows("select count(*) as n from password_credentials where user_id = ?", staleId)).toBe(0);
    expect(await countRows("select count(*) as n from users where email = ?", withPhone)).toBe(1);
    expect(await countRows("select count(*) as n from users where id = ?", verified.user.id)).toBe(1);
    // The address is free: its real owner registers it.
    const { registrationToken, message } = await register(stale);
    expect((await call("/api/auth/verify-email", { json: { registrationToken, code: codeFrom(message) } })).status).toBe(200);
    expect(await countRows("select count(*) as n from users where email = ?", stale)).toBe(1);
  });
});
