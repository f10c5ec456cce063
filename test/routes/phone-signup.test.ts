import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, expectProblem, outbox, STRONG_PASSWORD, uniqueEmail, waitForMessages } from "../helpers";
import { latestMessage, uniquePhone, userWithPhone } from "../phone-helpers";

async function throughEmailCode(phone = uniquePhone(), email = uniqueEmail()) {
  // Wait for THIS start's code: with an earlier one in the outbox, "the newest" could be the old one.
  const before = (await outbox(phone)).length;
  const start = await call("/api/auth/signup/phone/start", { json: { phone, channel: "sms" } });
  expect(start.status).toBe(202);
  const signupToken = start.body.signupToken as string;
  const phoneCode = codeFrom(await latestMessage(phone, before + 1));
  const v1 = await call("/api/auth/signup/phone/verify-phone", { json: { signupToken, code: phoneCode } });
  expect(v1.body.step).toBe("email");
  const e = await call("/api/auth/signup/phone/email", { json: { signupToken, email } });
  expect(e.status).toBe(202);
  expect(e.body.step).toBe("verify-email");
  const v2 = await call("/api/auth/signup/phone/verify-email", { json: { signupToken, code: codeFrom((await waitForMessages(email))[0]!) } });
  expect(v2.body.step).toBe("password");
  return { phone, email, signupToken };
}

const countUsers = async (email: string) => (await env.DB.prepare("select count(*) as n from users where email = ?").bind(email).first<{ n: number }>())!.n;

describe("phone sign-up in steps", () => {
  it("phone -> code -> email -> email code -> password -> account, signed in", async () => {
    const { phone, email, signupToken } = await throughEmailCode();
    const done = await call("/api/auth/signup/phone/complete", { json: { signupToken, password: STRONG_PASSWORD } });
    expect(done.status).toBe(201);
    expect(done.body.user).toMatchObject({ email, emailVerified: true });
    expect(done.headers.getSetCookie().join()).toContain("__Host-edge-refresh=");
    const me = await call("/api/me/phone", { token: done.body.accessToken });
    expect(me.body.phone).toBe(phone);
    // Both ways in work: password, and a code to the phone.
    expect((await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } })).status).toBe(200);
    clock.advance(61_000);
    await call("/api/auth/otp/send", { json: { phone } });
    expect((await call("/api/auth/otp/verify", { json: { phone, code: codeFrom(await latestMessage(phone, 2)) } })).status).toBe(200);
    // The sign-up is finished: its token is gone.
    expectProblem(await call("/api/auth/signup/phone/resume", { json: { signupToken } }), 404, "signup_not_found");
  });

  it("two sign-ups naming one email: each code opens only the sign-up that asked for it", async () => {
    const email = uniqueEmail();
    const startAt = async (phone: string) => {
      const start = await call("/api/auth/signup/phone/start", { json: { phone, channel: "sms" } });
      const signupToken = start.body.signupToken as string;
      await call("/api/auth/signup/phone/verify-phone", { json: { signupToken, code: codeFrom(await latestMessage(phone)) } });
      return signupToken;
    };
    const mine = await startAt(uniquePhone());
    const theirs = await startAt(uniquePhone());
    expect((await call("/api/auth/signup/phone/email", { json: { signupToken: mine, email } })).status).toBe(202);
    const myCode = codeFrom((await waitForMessages(email, 1))[0]!);
    clock.advance(61_000);
    expect((await call("/api/auth/signup/phone/email", { json: { signupToken: theirs, email } })).status).toBe(202);
    const theirCode = codeFrom((await waitForMessages(email, 2))[0]!);
    // The second sign-up's code did not replace the first's, and opens only the second.
    if (theirCode !== myCode)
      expectProblem(await call("/api/auth/signup/phone/verify-email", { json: { signupToken: mine, code: theirCode } }), 400, "invalid_code");
    expect((await call("/api/auth/signup/phone/verify-email", { json: { signupToken: mine, code: myCode } })).body.step).toBe("password");
    expect((await call("/api/auth/signup/phone/verify-email", { json: { signupToken: theirs, code: theirCode } })).body.step).toBe("password");
  });

  it("skipping the password makes a passwordless account", async () => {
    const { email, signupToken } = await throughEmailCode();
    const done = await call("/api/auth/signup/phone/complete", { json: { signupToken } });
    expect(done.status).toBe(201);
    const row = await env.DB.prepare("select count(*) as n from password_credentials where user_id = ?").bind(done.body.user.id).first<{ n: number }>();
    expect(row!.n).toBe(0);
    expectProblem(await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } }), 401, "invalid_credentials");
  });

  it("resumes after a reload and refuses steps out of order", async () => {
    const phone = uniquePhone();
    const start = await call("/api/auth/signup/phone/start", { json: { phone }, headers: { "accept-language": "es" } });
    const signupToken = start.body.signupToken;
    expect((await latestMessage(phone)).text).toMatch(/es tu codigo para crear tu cuenta/);
    const resumed = await call("/api/auth/signup/phone/resume", { json: { signupToken } });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ signupToken, step: "verify-phone", channel: "sms", email: null });
    expect(resumed.body.phone).not.toContain(phone.slice(4, 10));
    const early = await call("/api/auth/signup/phone/email", { json: { signupToken, email: uniqueEmail() } });
    expectProblem(early, 409, "conflict");
    expect(early.body.step).toBe("verify-phone");
    expectProblem(await call("/api/auth/signup/phone/complete", { json: { signupToken } }), 409, "conflict");
    // Resend respects the cooldown, then works.
    expectProblem(await call("/api/auth/signup/phone/resend", { json: { signupToken } }), 429, "rate_limited");
    clock.advance(61_000);
    expect((await call("/api/auth/signup/phone/resend", { json: { signupToken } })).status).toBe(202);
    const code = codeFrom(await latestMessage(phone, 2));
    expect((await call("/api/auth/signup/phone/verify-phone", { json: { signupToken, code } })).body.step).toBe("email");
    expect((await call("/api/auth/signup/phone/resume", { json: { signupToken } })).body.step).toBe("email");
  });

  it("expires with its TTL", async () => {
    const start = await call("/api/auth/signup/phone/start", { json: { phone: uniquePhone() } });
    clock.advance(3601_000);
    expectProblem(await call("/api/auth/signup/phone/resume", { json: { signupToken: start.body.signupToken } }), 404, "signup_not_found");
  });

  it("answers identically when the phone already has an account; its owner gets a notice, not a code", async () => {
    const { phone } = await userWithPhone();
    const fresh = uniquePhone();
    const a = await call("/api/auth/signup/phone/start", { json: { phone } });
    const b = await call("/api/auth/signup/phone/start", { json: { phone: fresh } });
    expect(a.status).toBe(b.status);
    expect(Object.keys(a.body).sort()).toEqual(Object.keys(b.body).sort());
    expect(a.body.step).toBe(b.body.step);
    const notice = await latestMessage(phone, 2);
    expect(notice.text).toMatch(/already has a Edge Auth account/);
    expect(notice.text).not.toMatch(/\d{6}/);
  });

  it("the email step answers identically for a taken email; the owner gets a notice", async () => {
    const taken = (await import("../helpers")).signUp;
    const owner = await taken();
    const phone = uniquePhone();
    const start = await call("/api/auth/signup/phone/start", { json: { phone } });
    await call("/api/auth/signup/phone/verify-phone", { json: { signupToken: start.body.signupToken, code: codeFrom(await latestMessage(phone)) } });
    const res = await call("/api/auth/signup/phone/email", { json: { signupToken: start.body.signupToken, email: owner.email } });
    expect(res.status).toBe(202);
    expect(res.body.step).toBe("verify-email");
    const messages = await waitForMessages(owner.email, 2);
    expect(messages[0]!.subject).toMatch(/already have/);
  });

  it("finishing is all or nothing: a lost race creates no half user", async () => {
    const phone = uniquePhone();
    const first = await throughEmailCode(phone);
    clock.advance(61_000);
    const second = await throughEmailCode(phone);
    expect((await call("/api/auth/signup/phone/complete", { json: { signupToken: first.signupToken } })).status).toBe(201);
    const lost = await call("/api/auth/signup/phone/complete", { json: { signupToken: second.signupToken, password: STRONG_PASSWORD } });
    expectProblem(lost, 409, "conflict");
    expect(await countUsers(second.email)).toBe(0);
  });

  it("20 parallel completions of one sign-up create exactly one account", async () => {
    const { email, signupToken } = await throughEmailCode();
    const results = await Promise.all(Array.from({ length: 20 }, () => call("/api/auth/signup/phone/complete", { json: { signupToken } })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await countUsers(email)).toBe(1);
  });

  it("wrong codes count against the code (5) and the phone (20 a day), not the sign-up (issue 10 §3)", async () => {
    const phone = uniquePhone();
    const startWithCode = async (sent: number) => {
      clock.advance(61_000);
      const start = await call("/api/auth/signup/phone/start", { json: { phone } });
      return { signupToken: start.body.signupToken as string, code: codeFrom(await latestMessage(phone, sent)) };
    };
    const verify = (signupToken: string, code: string) => call("/api/auth/signup/phone/verify-phone", { json: { signupToken, code } });
    for (let round = 1; round <= 4; round++) {
      const { signupToken, code } = await startWithCode(round);
      const wrong = `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
      for (let i = 0; i < 5; i++) expectProblem(await verify(signupToken, wrong), 400, "invalid_code");
      expectProblem(await verify(signupToken, code), 429, "too_many_attempts");
    }
    // 20 wrong codes for this phone today: a fresh sign-up's right code is refused too.
    const fifth = await startWithCode(5);
    expectProblem(await verify(fifth.signupToken, fifth.code), 429, "too_many_attempts");
    clock.advance(24 * 3600_000);
    const later = await startWithCode(6);
    expect((await verify(later.signupToken, later.code)).body.step).toBe("email");
  });
});
