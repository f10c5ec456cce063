// The phone sign-up steps (src/auth/phone-signup-steps.ts) without HTTP: each refusal
// comes back as its own reason; the wire is in test/routes/phone-signup.test.ts.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { issueCode } from "../../src/auth/one-time-code";
import { SIGNUP_EMAIL_PURPOSE, SIGNUP_PHONE_PURPOSE } from "../../src/auth/phone-signup";
import { addSignupEmail, beginPhoneSignup, completePhoneSignup, signupAt, verifySignupCode } from "../../src/auth/phone-signup-steps";
import { randomToken, sha256Hex } from "../../src/auth/secrets";
import { STRONG_PASSWORD, uniqueEmail } from "../helpers";
import { uniquePhone } from "../phone-helpers";
import { emailUser, expectSession, flowContext } from "./flow-helpers";

const wrongCode = (code: string) => (code === "000000" ? "111111" : "000000");

/** A sign-up taken to the password step (codes issued directly, as the sends would). */
async function signupAtPassword(email = uniqueEmail("signup")) {
  const context = flowContext();
  const phone = uniquePhone();
  const { token } = await beginPhoneSignup(env, { phone, channel: "sms", locale: "en" }, context.defer);
  const phoneCode = await issueCode(env, SIGNUP_PHONE_PURPOSE, phone, null, sha256Hex(token));
  expect(await verifySignupCode(env, { token, code: phoneCode.code }, "verify-phone")).toMatchObject({ ok: true, state: { phoneVerified: true } });
  const atEmail = await signupAt(env, token, ["email"]);
  if (!atEmail.ok) throw new Error(`not at the email step: ${atEmail.reason}`);
  await addSignupEmail(env, atEmail, email, context.defer);
  const emailCode = await issueCode(env, SIGNUP_EMAIL_PURPOSE, email, null, sha256Hex(token));
  expect(await verifySignupCode(env, { token, code: emailCode.code }, "verify-email")).toMatchObject({ ok: true, state: { emailVerified: true } });
  await context.settle();
  return { token, phone, email };
}

describe("phone sign-up steps", () => {
  it("refuses an unknown sign-up and a step out of order, naming where it stands", async () => {
    expect(await verifySignupCode(env, { token: randomToken(), code: "123456" }, "verify-phone")).toEqual({ ok: false, reason: "signup_not_found" });
    const { token } = await beginPhoneSignup(env, { phone: uniquePhone(), channel: "sms", locale: "en" }, flowContext().defer);
    expect(await verifySignupCode(env, { token, code: "123456" }, "verify-email")).toEqual({ ok: false, reason: "out_of_step", step: "verify-phone" });
    expect(await completePhoneSignup(env, { token }, flowContext())).toEqual({ ok: false, reason: "out_of_step", step: "verify-phone" });
  });

  it("refuses a wrong code and another sign-up's code for the same phone, and stays at its step", async () => {
    const phone = uniquePhone();
    const context = flowContext();
    const mine = await beginPhoneSignup(env, { phone, channel: "sms", locale: "en" }, context.defer);
    const theirs = await beginPhoneSignup(env, { phone, channel: "sms", locale: "en" }, context.defer);
    await context.settle();
    const myCode = await issueCode(env, SIGNUP_PHONE_PURPOSE, phone, null, sha256Hex(mine.token));
    let theirCode = await issueCode(env, SIGNUP_PHONE_PURPOSE, phone, null, sha256Hex(theirs.token));
    while (theirCode.code === myCode.code) theirCode = await issueCode(env, SIGNUP_PHONE_PURPOSE, phone, null, sha256Hex(theirs.token));
    expect(await verifySignupCode(env, { token: mine.token, code: theirCode.code }, "verify-phone")).toEqual({
      ok: false,
      reason: "code_refused",
      failure: "invalid",
    });
    expect(await verifySignupCode(env, { token: mine.token, code: wrongCode(myCode.code) }, "verify-phone")).toEqual({
      ok: false,
      reason: "code_refused",
      failure: "invalid",
    });
    expect(await signupAt(env, mine.token, ["verify-phone"])).toMatchObject({ ok: true });
  });

  it("refuses a weak password, and an email taken meanwhile, without creating anything", async () => {
    const weak = await signupAtPassword();
    expect(await completePhoneSignup(env, { token: weak.token, password: "password" }, flowContext())).toMatchObject({
      ok: false,
      reason: "password_refused",
      refusal: { ok: false, reason: expect.any(String) },
    });
    const taken = await signupAtPassword();
    await emailUser(taken.email);
    expect(await completePhoneSignup(env, { token: taken.token, password: STRONG_PASSWORD }, flowContext())).toEqual({ ok: false, reason: "taken" });
    const rows = await env.DB.prepare("select count(*) as n from identities where provider = 'phone' and subject in (?, ?)")
      .bind(weak.phone, taken.phone)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it("creates the account and signs in, once; passwordless when no password is chosen", async () => {
    const { token, phone, email } = await signupAtPassword();
    const result = await completePhoneSignup(env, { token }, flowContext());
    expectSession(result);
    expect(result).toMatchObject({ passwordless: true, user: { email } });
    const owner = await env.DB.prepare("select user_id from identities where provider = 'phone' and subject = ?").bind(phone).first<{ user_id: string }>();
    expect(owner?.user_id).toBe(result.user.id);
    expect(await completePhoneSignup(env, { token }, flowContext())).toEqual({ ok: false, reason: "signup_not_found" });
  });
});
