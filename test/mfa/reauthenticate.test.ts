// Re-authentication (step-up): a stale sign-in is refused sensitive changes until the user
// proves who they are again with a password, an emailed code, an authenticator-app code or
// a passkey; afterwards the session's authenticatedAt is now (sessions list, new access
// token's auth_time and amr). Wrong answers count in the lock-outs; bad inputs are 4xx.
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, expectProblem, hasCode, nextMessage, signUp } from "../helpers";
import { SoftAuthenticator } from "./authenticator";
import { currentCode, signUpWithTotp } from "./helpers";

const claims = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
const stale = () => clock.advance(601_000);
/** Time passes beyond the re-authentication window; a refresh gives a live access token for the same session. */
async function later(cookie: string): Promise<{ token: string; cookie: string }> {
  stale();
  const res = await call("/api/auth/refresh", { method: "POST", cookie });
  expect(res.status).toBe(200);
  return { token: res.body.accessToken, cookie: res.headers.getSetCookie()[0]!.split(";")[0]! };
}
const reauth = (token: string, json: unknown) => call("/api/auth/reauthenticate", { json, token });

describe("re-authentication", () => {
  it("with the password: the stale session may make sensitive changes again, and says when and how", async () => {
    const { accessToken, password, recoveryCodes: _codes } = await signUpWithTotp();
    stale();
    expectProblem(await call("/api/me/mfa/recovery-codes", { method: "POST", token: accessToken }), 403, "reauthentication_required");
    const res = await reauth(accessToken, { password });
    expect(res.status).toBe(200);
    expect(res.body.amr).toEqual(["otp", "pwd"]);
    expect(Math.abs(Date.parse(res.body.authenticatedAt) - clock.now())).toBeLessThan(5_000);
    const fresh = claims(res.body.accessToken);
    expect(fresh.auth_time).toBe(Math.floor(clock.now() / 1000));
    expect(fresh.amr).toEqual(["otp", "pwd"]);
    // The old access token works too: freshness is the session's, not the token's.
    expect((await call("/api/me/mfa/recovery-codes", { method: "POST", token: accessToken })).status).toBe(200);
    const list = await call("/api/me/sessions", { token: res.body.accessToken });
    expect(list.body.sessions[0]).toMatchObject({ amr: ["otp", "pwd"], authenticatedAt: res.body.authenticatedAt });
  });

  it("with an authenticator-app code (each step once), an emailed code, or a passkey", async () => {
    const account = await signUpWithTotp();
    const { secret, email } = account;
    let { token, cookie } = await later(account.cookie);
    const code = await currentCode(secret);
    expect((await reauth(token, { totp: code })).status).toBe(200);
    expectProblem(await reauth(token, { totp: code }), 400, "invalid_code");

    ({ token, cookie } = await later(cookie));
    const sent = await nextMessage(email, hasCode, () => call("/api/auth/reauthenticate/code", { json: {}, token }));
    expect(sent.result.status).toBe(202);
    const message = sent.message;
    expect((await reauth(token, { code: codeFrom(message) })).status).toBe(200);

    const opts = (await call("/api/me/passkeys/options", { json: {}, token })).body;
    const authenticator = await SoftAuthenticator.create(opts.user.id);
    expect((await call("/api/me/passkeys", { json: { credential: await authenticator.register(opts) }, token })).status).toBe(201);
    ({ token, cookie } = await later(cookie));
    const request = (await call("/api/auth/passkey/options", { json: {} })).body;
    const res = await reauth(token, { passkey: await authenticator.assert(request) });
    expect(res.status).toBe(200);
    expect(res.body.amr).toEqual(expect.arrayContaining(["hwk", "user"]));
  });

  it("refuses a wrong password (counted in the account's lock-out), a wrong code, another user's passkey", async () => {
    const { accessToken: token } = await signUp();
    const other = await signUp();
    const opts = (await call("/api/me/passkeys/options", { json: {}, token: other.accessToken })).body;
    const authenticator = await SoftAuthenticator.create(opts.user.id);
    expect((await call("/api/me/passkeys", { json: { credential: await authenticator.register(opts) }, token: other.accessToken })).status).toBe(201);
    stale();
    expectProblem(await reauth(token, { password: "definitely not the password" }), 401, "invalid_credentials");
    expectProblem(await reauth(token, { totp: "123456" }), 400, "invalid_code");
    expectProblem(await reauth(token, { code: "123456" }), 400, "invalid_code");
    const request = (await call("/api/auth/passkey/options", { json: {} })).body;
    expectProblem(await reauth(token, { passkey: await authenticator.assert(request) }), 400, "passkey_invalid");
    expectProblem(await call("/api/me/mfa/totp/setup", { method: "POST", token }), 403, "reauthentication_required");
  });

  it("needs a signed-in session, and bad bodies are 4xx", async () => {
    const { accessToken: token } = await signUp();
    expectProblem(await call("/api/auth/reauthenticate", { json: { password: "x" } }), 401, "unauthorized");
    for (const json of [{}, { password: 1 }, { totp: "12" }, { code: "abcdef" }, { passkey: {} }, { passkey: "x" }, [null]]) {
      expectProblem(await reauth(token, json), 400, "validation_failed");
    }
    expectProblem(await call("/api/auth/reauthenticate", { body: "{", headers: { "content-type": "application/json" }, token }), 400, "invalid_json");
    const revoked = await call("/api/me/sessions", { method: "DELETE", token });
    expect(revoked.status).toBe(200);
  });
});
