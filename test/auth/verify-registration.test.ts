// The verify-email flow (src/auth/registration.ts verifyRegistration) without HTTP: each
// refusal comes back as its own reason; the wire is in test/routes/account-flow.test.ts.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { issueCode } from "../../src/auth/one-time-code";
import { startRegistration, verifyRegistration } from "../../src/auth/registration";
import { randomToken } from "../../src/auth/secrets";
import { registrationId } from "../../src/storage/registrations";
import { uniqueEmail } from "../helpers";
import { emailUser, expectSession, flowContext } from "./flow-helpers";

async function pendingRegistration(email = uniqueEmail("reg")) {
  const { token } = await startRegistration(env, { email, name: "Flow", passwordHash: "not-a-hash" });
  return { email, registrationToken: token };
}
const challengeFor = ({ email, registrationToken }: { email: string; registrationToken: string }) =>
  issueCode(env, "verify-email", email, null, registrationId(registrationToken));

describe("verifyRegistration", () => {
  it("creates the verified account and signs it in, once", async () => {
    const registration = await pendingRegistration();
    const { code } = await challengeFor(registration);
    const result = await verifyRegistration(env, { ...registration, code }, flowContext());
    expectSession(result);
    expect(result.user).toMatchObject({ email: registration.email, emailVerifiedAt: expect.any(Number) });
    expect(await verifyRegistration(env, { ...registration, code }, flowContext())).toEqual({ ok: false, reason: "registration_not_found" });
  });

  it("refuses an unknown registration before looking at the code", async () => {
    expect(await verifyRegistration(env, { registrationToken: randomToken(), code: "123456" }, flowContext())).toEqual({
      ok: false,
      reason: "registration_not_found",
    });
  });

  it("refuses the code itself: none issued, a wrong one, another registration's link", async () => {
    const registration = await pendingRegistration();
    expect(await verifyRegistration(env, { ...registration, code: "123456" }, flowContext())).toEqual({
      ok: false,
      reason: "code_refused",
      failure: "no_challenge",
    });
    const { code } = await challengeFor(registration);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await verifyRegistration(env, { ...registration, code: wrong }, flowContext())).toEqual({ ok: false, reason: "code_refused", failure: "invalid" });
    // Someone else's registration of the same address: its link does not finish this one.
    const other = await pendingRegistration(registration.email);
    const { token } = await challengeFor(other);
    expect(await verifyRegistration(env, { ...registration, token }, flowContext())).toEqual({ ok: false, reason: "code_refused", failure: "invalid" });
  });

  it("refuses when a verified account took the address meanwhile", async () => {
    const registration = await pendingRegistration();
    const { token } = await challengeFor(registration);
    await emailUser(registration.email);
    expect(await verifyRegistration(env, { ...registration, token }, flowContext())).toEqual({ ok: false, reason: "email_taken" });
  });
});
