// The second step of a sign-in, and every way around it that must fail. An account with
// two-step verification gets {mfaRequired, mfaToken, methods} from every first factor —
// password, email code, magic link, email verification, social sign-in — and no session;
// the mfaToken is single use, 5 minutes, this browser's only, and 5 answers. Races: one
// TOTP code, one recovery code, one mfaToken, each 20 times in parallel: one success.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, expectProblem, hasCode, linkTokenFrom, nextMessage, refreshCookieFrom, STRONG_PASSWORD, waitForMessages } from "../helpers";
import { latestMessage, userWithPhone } from "../phone-helpers";
import { cookieFrom, landing, navigate, REFRESH_COOKIE, startSignIn } from "../oauth/helpers";
import { currentCode, expectChallenge, signUpWithTotp, totpCode, base32Decode, verifyStep } from "./helpers";

vi.setConfig({ testTimeout: 30_000 });

const login = (email: string, password = STRONG_PASSWORD) => call("/api/auth/login", { json: { email, password } });
const claims = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));

describe("password sign-in with two-step verification", () => {
  it("answers with a challenge, then the code signs in like a normal sign-in (amr pwd+otp+mfa)", async () => {
    const { email, secret, user } = await signUpWithTotp();
    const challenge = expectChallenge(await login(email));
    const res = await verifyStep(challenge, { code: await currentCode(secret) });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
    refreshCookieFrom(res.headers);
    expect(claims(res.body.accessToken).amr).toEqual(["pwd", "otp", "mfa"]);
    // The token is spent.
    expectProblem(await verifyStep(challenge, { code: await currentCode(secret) }), 401, "mfa_token_invalid");
  });

  it("a wrong password still says invalid_credentials (the challenge reveals nothing before the password)", async () => {
    const { email } = await signUpWithTotp();
    expectProblem(await login(email, "definitely not the password"), 401, "invalid_credentials");
  });

  it("refuses a reused code, a code from the previous-but-one step, and a wrong code (with attempts left)", async () => {
    const { email, secret } = await signUpWithTotp();
    const key = base32Decode(secret);
    const now = clock.now();
    const near = await Promise.all([-1, 0, 1].map((d) => totpCode(key, now + d * 30_000)));
    let challenge = expectChallenge(await login(email));
    const old = await totpCode(key, now - 60_000);
    if (!near.includes(old)) expect((await verifyStep(challenge, { code: old })).body).toMatchObject({ code: "invalid_code", attemptsLeft: 4 });
    const code = near[1]!;
    expect((await verifyStep(challenge, { code })).status).toBe(200);
    challenge = expectChallenge(await login(email));
    expectProblem(await verifyStep(challenge, { code }), 400, "invalid_code");
  });

  it("recovery codes work once each; their use is audited and emailed to the owner", async () => {
    const { email, recoveryCodes, user } = await signUpWithTotp();
    const first = expectChallenge(await login(email));
    expect((await verifyStep(first, { recoveryCode: recoveryCodes[0]!.toUpperCase() })).status).toBe(200);
    const second = expectChallenge(await login(email));
    expectProblem(await verifyStep(second, { recoveryCode: recoveryCodes[0] }), 400, "invalid_code");
    expect((await call("/api/me/mfa", { token: (await verifyStep(second, { recoveryCode: recoveryCodes[1] })).body.accessToken })).body.recoveryCodesLeft).toBe(
      8,
    );
    const notices = (await waitForMessages(email, 3)).filter((m) => /recovery code was used/i.test(m.subject));
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices[0]!.text).not.toContain(recoveryCodes[0]);
    const audited = await env.DB.prepare("select count(*) as n from audit_events where user_id = ? and type = 'mfa.recovery_code_used'")
      .bind(user.id)
      .first<{ n: number }>();
    expect(audited!.n).toBe(2);
  });

  it("binds the mfaToken to the browser that got it", async () => {
    const { email, secret } = await signUpWithTotp();
    const challenge = expectChallenge(await login(email));
    const code = await currentCode(secret);
    expectProblem(await call("/api/auth/mfa/verify", { json: { mfaToken: challenge.mfaToken, code } }), 401, "mfa_token_invalid");
    const otherBrowser = expectChallenge(await login(email));
    expectProblem(await verifyStep({ mfaToken: challenge.mfaToken, cookie: otherBrowser.cookie }, { code }), 401, "mfa_token_invalid");
    // None of that spent the step or the token.
    expect((await verifyStep(challenge, { code })).status).toBe(200);
  });

  it("expires after 5 minutes", async () => {
    const { email, secret } = await signUpWithTotp();
    const challenge = expectChallenge(await login(email));
    clock.advance(5 * 60_000 + 1_000);
    expectProblem(await verifyStep(challenge, { code: await currentCode(secret) }), 401, "mfa_token_invalid");
  });

  it("allows 5 answers per mfaToken, then the sign-in starts again", async () => {
    const { email, secret } = await signUpWithTotp();
    const challenge = expectChallenge(await login(email));
    for (let i = 0; i < 4; i++)
      expect((await verifyStep(challenge, { recoveryCode: "aaaa-aaaa-aaaa-aaaa" })).body).toMatchObject({ code: "invalid_code", attemptsLeft: 4 - i });
    expectProblem(await verifyStep(challenge, { recoveryCode: "aaaa-aaaa-aaaa-aaaa" }), 401, "mfa_token_invalid");
    expectProblem(await verifyStep(challenge, { code: await currentCode(secret) }), 401, "mfa_token_invalid");
    // A new sign-in works.
    expect((await verifyStep(expectChallenge(await login(email)), { code: await currentCode(secret) })).status).toBe(200);
  });

  it("counts wrong second steps in the account's lock-out, which a right password does not clear", async () => {
    const { email, secret } = await signUpWithTotp();
    for (let i = 0; i < 2; i++) {
      const challenge = expectChallenge(await login(email));
      for (let j = 0; j < 5; j++) await verifyStep(challenge, { recoveryCode: "aaaa-aaaa-aaaa-aaaa" });
    }
    const locked = expectChallenge(await login(email));
    const res = await verifyStep(locked, { code: await currentCode(secret) });
    expectProblem(res, 429, "sign_in_throttled");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("bad bodies are 4xx and change nothing", async () => {
    const { email, secret } = await signUpWithTotp();
    const challenge = expectChallenge(await login(email));
    for (const json of [
      {},
      { mfaToken: challenge.mfaToken },
      { mfaToken: "short", code: "123456" },
      { mfaToken: challenge.mfaToken, code: 123456 },
      { mfaToken: challenge.mfaToken, recoveryCode: "x".repeat(100) },
      { mfaToken: challenge.mfaToken, passkey: {} },
    ]) {
      expectProblem(await call("/api/auth/mfa/verify", { json, cookie: challenge.cookie }), 400, "validation_failed");
    }
    expectProblem(
      await call("/api/auth/mfa/verify", { body: "{", headers: { "content-type": "application/json" }, cookie: challenge.cookie }),
      400,
      "invalid_json",
    );
    expect((await verifyStep(challenge, { code: await currentCode(secret) })).status).toBe(200);
  });
});

/** `n` pending sign-ins of one account, each with its own mfaToken. One after another: the
 *  lock-out counts an attempt before the password is checked, so parallel sign-ins would throttle. */
async function challengesFor(email: string, n: number) {
  const out: { mfaToken: string; cookie: string }[] = [];
  for (let i = 0; i < n; i++) out.push(expectChallenge(await login(email)));
  return out;
}

describe("races", () => {
  it("20 parallel submissions of one valid TOTP code: exactly one success", async () => {
    const { email, secret } = await signUpWithTotp();
    const code = await currentCode(secret);
    // Twenty sign-ins, each with its own mfaToken, all racing with the same code.
    const challenges = await challengesFor(email, 20);
    const results = await Promise.all(challenges.map((ch) => verifyStep(ch, { code })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    // The rest: the code was spent, or — every answer counting before it is checked — the
    // second-factor lock-out stopped them first. Either way, no second session.
    for (const r of results.filter((r) => r.status !== 200))
      expect([r.body.code, r.status]).toEqual(expect.arrayContaining([r.status === 429 ? "sign_in_throttled" : "invalid_code"]));
  });

  it("20 parallel submissions of one recovery code: exactly one success", async () => {
    const { email, recoveryCodes } = await signUpWithTotp();
    const challenges = await challengesFor(email, 20);
    const results = await Promise.all(challenges.map((ch) => verifyStep(ch, { recoveryCode: recoveryCodes[3] })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it("20 parallel submissions on one mfaToken with different right answers: exactly one session", async () => {
    const { email, secret, recoveryCodes } = await signUpWithTotp();
    const challenge = expectChallenge(await login(email));
    const code = await currentCode(secret);
    const answers = Array.from({ length: 20 }, (_, i) => (i < 10 ? { recoveryCode: recoveryCodes[i] } : { code }));
    const results = await Promise.all(answers.map((a) => verifyStep(challenge, a)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });
});

describe("no first factor skips the second step", () => {
  it("email code sign-in and magic link", async () => {
    const { email, secret } = await signUpWithTotp();
    const send = () => call("/api/auth/otp/send", { json: { email } });
    const first = await nextMessage(email, hasCode, send);
    expect(first.result.status).toBe(202);
    expectChallenge(await call("/api/auth/otp/verify", { json: { email, code: codeFrom(first.message) } }));
    clock.advance(61_000);
    const second = await nextMessage(email, hasCode, send);
    expect(second.result.status).toBe(202);
    const challenge = expectChallenge(await call("/api/auth/otp/verify", { json: { token: linkTokenFrom(second.message) } }));
    expect((await verifyStep(challenge, { code: await currentCode(secret) })).status).toBe(200);
  });

  it("phone code sign-in", async () => {
    const account = await userWithPhone();
    const setup = await call("/api/me/mfa/totp/setup", { method: "POST", token: account.accessToken });
    expect((await call("/api/me/mfa/totp/confirm", { json: { code: await currentCode(setup.body.secret) }, token: account.accessToken })).status).toBe(200);
    clock.advance(30_000);
    expect((await call("/api/auth/otp/send", { json: { phone: account.phone } })).status).toBe(202);
    const code = codeFrom(await latestMessage(account.phone, 2));
    const challenge = expectChallenge(await call("/api/auth/otp/verify", { json: { phone: account.phone, code } }));
    const done = await verifyStep(challenge, { code: await currentCode(setup.body.secret) });
    expect(done.status).toBe(200);
    expect(claims(done.body.accessToken).amr).toEqual(["sms", "otp", "mfa"]);
  });

  it("social sign-in (a real OIDC provider) lands on the second step with no session", async () => {
    const { email, secret } = await signUpWithTotp();
    const start = await startSignIn("oidc", "/dashboard");
    const authorize = new URL(start.url);
    authorize.searchParams.set("login_hint", JSON.stringify({ sub: `mfa-${crypto.randomUUID()}`, email, email_verified: true }));
    const back = new URL((await fetch(authorize, { redirect: "manual" })).headers.get("location")!);
    const res = await navigate(`${back.pathname}${back.search}`, { cookie: start.cookie });
    const page = landing(res);
    expect(page.path).toBe("/oauth/done");
    expect(page.params).toMatchObject({ mfaRequired: "1", returnTo: "/dashboard", methods: "totp,recovery_code" });
    expect(page.params.signedIn).toBeUndefined();
    expect(cookieFrom(res.headers, REFRESH_COOKIE)).toBeNull();
    const binding = cookieFrom(res.headers, "__Host-edge-mfa")!;
    const done = await verifyStep({ mfaToken: page.params.mfaToken!, cookie: binding }, { code: await currentCode(secret) });
    expect(done.status).toBe(200);
    expect(claims(done.body.accessToken).amr).toEqual(["fed", "otp", "mfa"]);
  });

  it("refresh never upgrades a challenge: there is no session to refresh", async () => {
    const { email } = await signUpWithTotp();
    const challenge = expectChallenge(await login(email));
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie: challenge.cookie }), 401, "invalid_token");
    expectProblem(await call("/api/auth/refresh", { json: { refreshToken: challenge.mfaToken } }), 401, "invalid_token");
    expectProblem(await call("/api/auth/refresh", { json: { refreshToken: `x.y.${challenge.mfaToken}` } }), 401, "invalid_token");
  });

  it("reactivating a deactivated account asks for the second step; only the code signs in", async () => {
    const { email, secret, accessToken } = await signUpWithTotp();
    expect((await call("/api/me/deactivate", { method: "POST", token: accessToken })).status).toBe(204);
    const offer = await login(email);
    expectProblem(offer, 403, "account_deactivated");
    const challenge = expectChallenge(await call("/api/auth/reactivate", { json: { reactivationToken: offer.body.reactivationToken } }));
    const done = await verifyStep(challenge, { code: await currentCode(secret) });
    expect(done.status).toBe(200);
    expect(claims(done.body.accessToken).amr).toEqual(expect.arrayContaining(["pwd", "otp", "mfa"]));
  });

  it("a password reset does not sign in, and the next sign-in still asks for the second step", async () => {
    const { email } = await signUpWithTotp();
    const forgot = await nextMessage(email, hasCode, () => call("/api/auth/password/forgot", { json: { email } }));
    expect(forgot.result.status).toBe(202);
    const reset = forgot.message;
    const newPassword = "another correct horse battery 77";
    const res = await call("/api/auth/password/reset", { json: { email, code: codeFrom(reset), password: newPassword } });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().some((c) => /^__(Host|Secure)-edge-refresh=/.test(c))).toBe(false);
    expectChallenge(await login(email, newPassword));
  });
});

describe("a passkey as the second step", () => {
  it("options for the pending sign-in list that user's passkeys; the assertion completes the sign-in", async () => {
    const { SoftAuthenticator } = await import("./authenticator");
    const { email, accessToken: token } = await signUpWithTotp();
    const reg = (await call("/api/me/passkeys/options", { json: {}, token })).body;
    const authenticator = await SoftAuthenticator.create(reg.user.id);
    expect((await call("/api/me/passkeys", { json: { credential: await authenticator.register(reg) }, token })).status).toBe(201);

    const challenge = expectChallenge(await login(email));
    expect((await login(email)).body.methods).toEqual(["totp", "passkey", "recovery_code"]);
    // Only from the browser that holds the binding.
    expectProblem(await call("/api/auth/passkey/options", { json: { mfaToken: challenge.mfaToken } }), 401, "mfa_token_invalid");
    const opts = (await call("/api/auth/passkey/options", { json: { mfaToken: challenge.mfaToken }, cookie: challenge.cookie })).body;
    expect(opts.allowCredentials).toEqual([{ type: "public-key", id: authenticator.id, transports: ["internal", "hybrid"] }]);
    const res = await verifyStep(challenge, { passkey: await authenticator.assert(opts) });
    expect(res.status).toBe(200);
    expect(claims(res.body.accessToken).amr).toEqual(["pwd", "hwk", "user", "mfa"]);
  });

  it("another user's passkey is refused as the second step (and counts as an answer)", async () => {
    const { SoftAuthenticator } = await import("./authenticator");
    const victim = await signUpWithTotp();
    const mallory = await signUpWithTotp();
    const reg = (await call("/api/me/passkeys/options", { json: {}, token: mallory.accessToken })).body;
    const authenticator = await SoftAuthenticator.create(reg.user.id);
    expect((await call("/api/me/passkeys", { json: { credential: await authenticator.register(reg) }, token: mallory.accessToken })).status).toBe(201);
    const challenge = expectChallenge(await login(victim.email));
    const opts = (await call("/api/auth/passkey/options", { json: {} })).body;
    const res = await verifyStep(challenge, { passkey: await authenticator.assert(opts) });
    expect(res.body).toMatchObject({ code: "passkey_invalid", attemptsLeft: 4 });
  });

  it("signing in with a passkey alone never asks for a second step", async () => {
    const { SoftAuthenticator } = await import("./authenticator");
    const { accessToken: token } = await signUpWithTotp();
    const reg = (await call("/api/me/passkeys/options", { json: {}, token })).body;
    const authenticator = await SoftAuthenticator.create(reg.user.id);
    expect((await call("/api/me/passkeys", { json: { credential: await authenticator.register(reg) }, token })).status).toBe(201);
    const res = await call("/api/auth/passkey/verify", {
      json: { credential: await authenticator.assert((await call("/api/auth/passkey/options", { json: {} })).body) },
    });
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toBeDefined();
  });
});
