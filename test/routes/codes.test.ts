// One-time codes and links: email verification and password reset. Single use under
// 20 parallel redemptions, 10-minute expiry on the injected clock, 5 failures per code.
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { clock } from "../../src/clock";
import {
  call,
  codeFrom,
  expectProblem,
  linkTokenFrom,
  outbox,
  refreshCookieFrom,
  legacyUnverifiedUser,
  register as startRegistration,
  signUp,
  STRONG_PASSWORD,
  uniqueEmail,
  waitForMessages,
} from "../helpers";

const NEW_PASSWORD = "a brand new passphrase for testing";
const MINUTE = 60_000;

async function register(email = uniqueEmail()) {
  const { registrationToken, message } = await startRegistration(email, STRONG_PASSWORD, "Ann");
  return { email, registrationToken, code: codeFrom(message), token: linkTokenFrom(message) };
}

async function forgot(email: string) {
  const before = (await outbox(email)).length;
  expect((await call("/api/auth/password/forgot", { json: { email } })).status).toBe(202);
  const [message] = await waitForMessages(email, before + 1);
  expect(message!.subject).toMatch(/password reset code/);
  return { code: codeFrom(message!), token: linkTokenFrom(message!) };
}

const loginStatus = async (email: string, password: string) => (await call("/api/auth/login", { json: { email, password } })).status;

describe("register and verify-email", () => {
  it("register answers 202 with a registrationToken and mails a 6-digit code and a link", async () => {
    const email = uniqueEmail();
    const res = await call("/api/auth/register", { json: { email, password: STRONG_PASSWORD } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: "accepted", message: expect.any(String), registrationToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const [message] = await waitForMessages(email);
    expect(message).toMatchObject({ to: email, channel: "email", subject: expect.stringMatching(/^\d{6} is your/) });
    expect(message!.html).toContain(`token=${linkTokenFrom(message!)}`);
  });

  it("verify-email with the code signs in: tokens, user, refresh cookie", async () => {
    const { email, registrationToken, code } = await register();
    const res = await call("/api/auth/verify-email", { json: { registrationToken, code } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accessToken: expect.any(String), expiresIn: 900, user: { email, emailVerified: true, name: "Ann" } });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(refreshCookieFrom(res.headers)).toBeTruthy();
  });

  it("a wrong code is 400 invalid_code; after 5 failures even the right code is refused", async () => {
    const { registrationToken, code } = await register();
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) expectProblem(await call("/api/auth/verify-email", { json: { registrationToken, code: wrong } }), 400, "invalid_code");
    expectProblem(await call("/api/auth/verify-email", { json: { registrationToken, code } }), 429, "too_many_attempts");
  });

  it("resend-verification: 202, a new code replaces the old one", async () => {
    const { email, registrationToken, code: first } = await register();
    expect((await call("/api/auth/resend-verification", { json: { registrationToken } })).status).toBe(202);
    const [latest] = await waitForMessages(email, 2);
    const second = codeFrom(latest!);
    if (second !== first) expectProblem(await call("/api/auth/verify-email", { json: { registrationToken, code: first } }), 400, "invalid_code");
    expect((await call("/api/auth/verify-email", { json: { registrationToken, code: second } })).status).toBe(200);
  });

  it("resend-verification once the registration is finished or unknown: 404 registration_not_found", async () => {
    const { registrationToken, code } = await register();
    expect((await call("/api/auth/verify-email", { json: { registrationToken, code } })).status).toBe(200);
    expectProblem(await call("/api/auth/resend-verification", { json: { registrationToken } }), 404, "registration_not_found");
    expectProblem(await call("/api/auth/verify-email", { json: { registrationToken, code } }), 404, "registration_not_found");
    expectProblem(await call("/api/auth/resend-verification", { json: { registrationToken: "B".repeat(43) } }), 404, "registration_not_found");
  });

  it("codes and links expire after 10 minutes: 400 code_expired", async () => {
    const { registrationToken, code, token } = await register();
    clock.advance(10 * MINUTE + 1000);
    expectProblem(await call("/api/auth/verify-email", { json: { registrationToken, code } }), 400, "code_expired");
    expectProblem(await call("/api/auth/verify-email", { json: { registrationToken, token } }), 400, "code_expired");
  });

  it("a code just inside 10 minutes still works", async () => {
    const { registrationToken, code } = await register();
    clock.advance(10 * MINUTE - 5000);
    expect((await call("/api/auth/verify-email", { json: { registrationToken, code } })).status).toBe(200);
  });

  it("20 parallel redemptions of one verification code: exactly one success", async () => {
    const { registrationToken, code } = await register();
    const results = await Promise.all(Array.from({ length: 20 }, () => call("/api/auth/verify-email", { json: { registrationToken, code } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    // The losers read the pending registration before or after the winner removed it.
    for (const r of results.filter((r) => r.status !== 200)) expect([400, 404]).toContain(r.status);
  });

  it("20 parallel redemptions of one verification link: exactly one success", async () => {
    const { email, registrationToken, token } = await register();
    const results = await Promise.all(Array.from({ length: 20 }, () => call("/api/auth/verify-email", { json: { registrationToken, token } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expect([400, 404]).toContain(r.status);
    expect((await env.DB.prepare("select count(*) as n from users where email = ?").bind(email).first<{ n: number }>())!.n).toBe(1);
  });
});

describe("forgot and reset password", () => {
  it("reset with the code: 204, new password works, old does not, every session ends", async () => {
    const { email, cookie } = await signUp();
    const other = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    const { code } = await forgot(email);
    const res = await call("/api/auth/password/reset", { json: { email, code, password: NEW_PASSWORD } });
    expect(res.status).toBe(204);
    expect(await loginStatus(email, STRONG_PASSWORD)).toBe(401);
    expect(await loginStatus(email, NEW_PASSWORD)).toBe(200);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie }), 401, "session_ended");
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie: refreshCookieFrom(other.headers) }), 401, "session_ended");
    // Single use.
    expectProblem(await call("/api/auth/password/reset", { json: { email, code, password: `${NEW_PASSWORD} again` } }), 400, "invalid_code");
  });

  it("reset with the link token, and it verifies an unverified (legacy) email", async () => {
    const email = uniqueEmail();
    await legacyUnverifiedUser(email);
    const { token } = await forgot(email);
    expect((await call("/api/auth/password/reset", { json: { token, password: NEW_PASSWORD } })).status).toBe(204);
    expect(await loginStatus(email, NEW_PASSWORD)).toBe(200);
  });

  it("a weak new password is 400 weak_password with a reason and does not spend the code", async () => {
    const { email } = await signUp();
    const { code } = await forgot(email);
    for (const [password, reason] of [
      ["short pass", /at least 15/],
      ["passwordpassword", /common|repeated/],
      [`${email.split("@")[0]} is my password`, /email address/],
    ] as const) {
      const res = await call("/api/auth/password/reset", { json: { email, code, password } });
      expectProblem(res, 400, "weak_password");
      expect(res.body.detail).toMatch(reason);
    }
    expect((await call("/api/auth/password/reset", { json: { email, code, password: NEW_PASSWORD } })).status).toBe(204);
  });

  it("a recently used password is refused only once the code is proven (then the code is spent)", async () => {
    const { email } = await signUp();
    const { code } = await forgot(email);
    const wrong = code === "000000" ? "111111" : "000000";
    // Without the right code, the current password and a random guess get the same answer:
    // the route is no oracle for the account's password.
    expectProblem(await call("/api/auth/password/reset", { json: { email, code: wrong, password: STRONG_PASSWORD } }), 400, "invalid_code");
    expectProblem(await call("/api/auth/password/reset", { json: { email, code: wrong, password: NEW_PASSWORD } }), 400, "invalid_code");
    const reused = await call("/api/auth/password/reset", { json: { email, code, password: STRONG_PASSWORD } });
    expectProblem(reused, 400, "weak_password");
    expect(reused.body.detail).toMatch(/not used recently.*new code/);
    expectProblem(await call("/api/auth/password/reset", { json: { email, code, password: NEW_PASSWORD } }), 400, "invalid_code");
    expect(await loginStatus(email, STRONG_PASSWORD)).toBe(200);
  });

  it("reset codes expire after 10 minutes", async () => {
    const { email } = await signUp();
    const { code, token } = await forgot(email);
    clock.advance(10 * MINUTE + 1000);
    expectProblem(await call("/api/auth/password/reset", { json: { email, code, password: NEW_PASSWORD } }), 400, "code_expired");
    expectProblem(await call("/api/auth/password/reset", { json: { token, password: NEW_PASSWORD } }), 400, "code_expired");
  });

  it("20 parallel redemptions of one reset code: exactly one success", async () => {
    const { email } = await signUp();
    const { code } = await forgot(email);
    const results = await Promise.all(Array.from({ length: 20 }, () => call("/api/auth/password/reset", { json: { email, code, password: NEW_PASSWORD } })));
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 204)) expect(r.status).toBe(400);
    expect(await loginStatus(email, NEW_PASSWORD)).toBe(200);
  });

  it("20 parallel redemptions of one reset link: exactly one success", async () => {
    const { email } = await signUp();
    const { token } = await forgot(email);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call("/api/auth/password/reset", { json: { token, password: `${NEW_PASSWORD} ${i}` } })),
    );
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 204)) expectProblem(r, 400, "invalid_code");
  });

  it("unknown email or made-up token: 400 invalid_code", async () => {
    expectProblem(await call("/api/auth/password/reset", { json: { email: uniqueEmail(), code: "123456", password: NEW_PASSWORD } }), 400, "invalid_code");
    expectProblem(await call("/api/auth/password/reset", { json: { token: "A".repeat(43), password: NEW_PASSWORD } }), 400, "invalid_code");
  });
});
