// Failed sign-ins per account across IPs: threshold, growing delays (capped at an hour),
// the 100-failure cap, reset on success, one notice per lockout, reset still works,
// and throttled answers that say nothing about the password. Time moves by clock.advance.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import { signInRules } from "../../src/auth/lockout";
import { auditRows, statusCounts, waitForAudit } from "../abuse-helpers";
import { call, codeFrom, expectProblem, outbox, signUp, STRONG_PASSWORD, uniqueEmail, waitForCount, waitForMessages } from "../helpers";

// Many password hashes per test: under a parallel full-suite run they take longer than 5 s.
vi.setConfig({ testTimeout: 30_000 });

const WRONG = "definitely not the right password";
const login = (email: string, password: string) => call("/api/auth/login", { json: { email, password } });

async function failTimes(email: string, n: number) {
  for (let i = 0; i < n; i++) expectProblem(await login(email, WRONG), 401, "invalid_credentials");
}

describe("progressive throttling of one account", () => {
  it("throttles after 10 failures from any IPs with doubling delays, and a success resets the count", async () => {
    const { email } = await signUp();
    await failTimes(email, 10);

    const throttled = await login(email, WRONG);
    expectProblem(throttled, 429, "sign_in_throttled");
    expect(throttled.headers.get("retry-after")).toBe("60");

    clock.advance(60_000);
    expectProblem(await login(email, WRONG), 401, "invalid_credentials");
    expect((await login(email, WRONG)).headers.get("retry-after")).toBe("120");
    clock.advance(120_000);
    expectProblem(await login(email, WRONG), 401, "invalid_credentials");
    expect((await login(email, WRONG)).headers.get("retry-after")).toBe("240");

    clock.advance(240_000);
    expect((await login(email, STRONG_PASSWORD)).status).toBe(200);
    // Reset: ten fresh failures are allowed again before any throttling.
    await failTimes(email, 10);
    expectProblem(await login(email, WRONG), 429, "sign_in_throttled");
  });

  it("answers a throttled right password exactly like a throttled wrong one", async () => {
    const { email } = await signUp();
    await failTimes(email, 10);
    const right = await login(email, STRONG_PASSWORD);
    const wrong = await login(email, WRONG);
    expect(right.status).toBe(429);
    expect(right.body).toEqual(wrong.body);
    expect(right.headers.get("retry-after")).toBe(wrong.headers.get("retry-after"));
    expect(right.headers.get("set-cookie")).toBeNull();
  });

  it("throttles an unknown email the same way, so throttling does not reveal accounts", async () => {
    const email = uniqueEmail();
    await failTimes(email, 10);
    const res = await login(email, WRONG);
    expectProblem(res, 429, "sign_in_throttled");
    expect(res.headers.get("retry-after")).toBe("60");
  });

  it("does not count right passwords in flight: 11 parallel right sign-ins all succeed", async () => {
    const { email } = await signUp();
    const statuses = (await Promise.all(Array.from({ length: 11 }, () => login(email, STRONG_PASSWORD)))).map((r) => r.status);
    expect(statusCounts(statuses)).toEqual({ 200: 11 });
    // And nothing was left counted: ten free failures, then the throttle.
    await failTimes(email, 10);
    expectProblem(await login(email, WRONG), 429, "sign_in_throttled");
  });

  it("counts atomically: 40 parallel wrong attempts on a fresh account get exactly 10 verdicts", async () => {
    const { email } = await signUp();
    const statuses = (await Promise.all(Array.from({ length: 40 }, () => login(email, WRONG)))).map((r) => r.status);
    expect(statusCounts(statuses)).toEqual({ 401: 10, 429: 30 });
    // Every attempt is hashed before its lock-out call (src/auth/lockout.ts): 40 hashes, not 10.
  }, 90_000);
});

describe("the owner", () => {
  it("gets one notice per lockout, and the audit trail has the failures, the lockout and the throttling", async () => {
    const { email, user } = await signUp();
    await failTimes(email, 10);
    for (let i = 0; i < 3; i++) expectProblem(await login(email, WRONG), 429, "sign_in_throttled");
    clock.advance(60_000);
    await failTimes(email, 1);
    const notices = (await waitForMessages(email, 2)).filter((m) => /Failed sign-in attempts/.test(m.subject));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain("10 failed attempts");

    await waitForAudit(user.id, "account.throttled");
    const rows = await auditRows(user.id);
    expect(rows.filter((r) => r.type === "account.throttled")).toHaveLength(1);
    expect(rows.filter((r) => r.type === "sign_in.failure" && r.reason === "bad_password")).toHaveLength(11);
    // Three refused requests in one delay period: one event, not three.
    expect(rows.filter((r) => r.type === "sign_in.failure" && r.reason === "throttled")).toHaveLength(1);

    // A new lockout after a success is a new notice.
    clock.advance(120_000);
    expect((await login(email, STRONG_PASSWORD)).status).toBe(200);
    await failTimes(email, 10);
    const lockoutNotices = async () => (await outbox(email)).filter((m) => /Failed sign-in attempts/.test(m.subject));
    await waitForCount(lockoutNotices, 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(await lockoutNotices()).toHaveLength(2);
  });

  it("can still reset the password while throttled, and the reset ends the throttling at once", async () => {
    const { email } = await signUp();
    await failTimes(email, 10);
    expectProblem(await login(email, STRONG_PASSWORD), 429, "sign_in_throttled");

    expect((await call("/api/auth/password/forgot", { json: { email } })).status).toBe(202);
    const reset = (await waitForMessages(email, 3)).find((m) => /password reset code/.test(m.subject))!;
    const fresh = "a brand new and long passphrase 7";
    expect((await call("/api/auth/password/reset", { json: { email, code: codeFrom(reset), password: fresh } })).status).toBe(204);
    expect((await login(email, fresh)).status).toBe(200);
  });
});

describe("the Limiter's sign-in record (default rules)", () => {
  const stubFor = () => env.LIMITER.get(env.LIMITER.idFromName(`test-signin:${crypto.randomUUID()}`));

  it("caps delays at one hour and stops checking after 100 consecutive failures, but never for good", async () => {
    const rules = signInRules(env);
    expect(rules).toMatchObject({ threshold: 10, baseDelayMs: 60_000, maxDelayMs: 3_600_000, maxFailures: 100 });
    const stub = stubFor();
    let now = clock.now();
    let allowed = 0;
    const delays: number[] = [];
    for (let i = 0; i < 200 && allowed < 100; i++) {
      const a = await stub.attemptSignIn(rules, now);
      if (a.allowed) allowed++;
      else {
        delays.push(a.retryAfterMs);
        now += a.retryAfterMs;
      }
    }
    expect(allowed).toBe(100);
    expect(delays.slice(0, 7)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000]);
    expect(Math.max(...delays)).toBe(3_600_000);

    // At 100 nothing more is checked, however long the caller waits within the memory...
    now += 2 * 3_600_000;
    const capped = await stub.attemptSignIn(rules, now);
    expect(capped).toMatchObject({ allowed: false, capped: true });
    // ...and refused attempts do not extend it: the record lapses 30 days after the last counted failure.
    now += (capped as { retryAfterMs: number }).retryAfterMs;
    expect(await stub.attemptSignIn(rules, now)).toMatchObject({ allowed: true, failures: 1 });
  });

  it("settles a checked password in one call: refused while throttled whatever the verdict, else a wrong one counts and a right one clears", async () => {
    const rules = signInRules(env);
    const stub = stubFor();
    const now = clock.now();
    for (let i = 1; i <= 9; i++) expect(await stub.settleSignIn(false, rules, now)).toMatchObject({ allowed: true, failures: i, lockoutStarted: false });
    expect(await stub.settleSignIn(false, rules, now)).toMatchObject({ allowed: true, failures: 10, lockoutStarted: true });
    // Throttled: a right password is refused like a wrong one, and clears nothing.
    expect(await stub.settleSignIn(true, rules, now)).toMatchObject({ allowed: false, retryAfterMs: 60_000, firstRefusal: true });
    expect(await stub.settleSignIn(false, rules, now)).toMatchObject({ allowed: false, retryAfterMs: 60_000, firstRefusal: false });
    // After the delay a right one clears the count: ten free failures again.
    expect(await stub.settleSignIn(true, rules, now + 60_000)).toEqual({ allowed: true, failures: 0, lockoutStarted: false });
    expect(await stub.settleSignIn(false, rules, now + 60_000)).toMatchObject({ allowed: true, failures: 1 });
  });

  it("clears on success", async () => {
    const rules = signInRules(env);
    const stub = stubFor();
    const now = clock.now();
    for (let i = 0; i < 10; i++) await stub.attemptSignIn(rules, now);
    expect((await stub.attemptSignIn(rules, now)).allowed).toBe(false);
    await stub.clearSignInFailures();
    expect(await stub.attemptSignIn(rules, now)).toMatchObject({ allowed: true, failures: 1, lockoutStarted: false });
  });
});
