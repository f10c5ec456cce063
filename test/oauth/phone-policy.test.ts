// Policy OAUTH_REQUIRE_PHONE: an account with a social identity is not complete until it
// has a verified phone. Its sessions carry `pending: "phone"` and may only read the
// profile, add/verify a phone, refresh and sign out; verifying the phone upgrades them.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AuthService } from "../../src/rpc";
import { sendWithEnv } from "../abuse-helpers";
import { call, codeFrom, expectProblem, refreshCookieFrom, signUp, STRONG_PASSWORD, uniqueEmail, waitForMessages } from "../helpers";
import { latestMessage, uniquePhone } from "../phone-helpers";
import { callbackPath, githubAs, startSignIn, uniqueProviderId } from "./helpers";

const POLICY = { OAUTH_REQUIRE_PHONE: "true" };
const randomId = uniqueProviderId;

/** A GitHub sign-up finished with the given vars; returns where it landed and a fresh access token. */
async function gitHubSignUp(vars: Record<string, string>, email?: string) {
  const start = await startSignIn("github");
  githubAs(randomId(), email);
  const res = await sendWithEnv(vars, callbackPath("github", { state: start.state, code: "c" }), { cookie: start.cookie });
  expect(res.status).toBe(303);
  const landing = new URL(res.headers.get("location")!);
  let cookie = refreshCookieFrom(res.headers);
  const refreshed = await sendWithEnv(vars, "/api/auth/refresh", { method: "POST", cookie });
  expect(refreshed.status).toBe(200);
  cookie = refreshCookieFrom(refreshed.headers);
  return { landing, cookie, accessToken: refreshed.body.accessToken as string, refreshed: refreshed.body };
}

// Every kind of route an incomplete session must not reach (reads and writes).
const RESTRICTED: Array<[string, { method?: string; json?: unknown }]> = [
  ["/api/me/token", {}],
  ["/api/me/sessions", {}],
  ["/api/me/activity", {}],
  ["/api/me/identities", {}],
  ["/api/me/identities/google", { json: {} }],
  ["/api/me/password", { json: { currentPassword: STRONG_PASSWORD, newPassword: `${STRONG_PASSWORD} x` } }],
  ["/api/me/sessions", { method: "DELETE" }],
];

describe("OAUTH_REQUIRE_PHONE", () => {
  it("restricts a social sign-up until a phone is verified, then the same session is complete after a refresh", async () => {
    const account = await gitHubSignUp(POLICY);
    expect(account.landing.pathname).toBe("/oauth/done");
    expect(account.landing.searchParams.get("phoneVerificationRequired")).toBe("1");
    expect(account.refreshed.pending).toBe("phone");

    for (const [path, r] of RESTRICTED) {
      const res = await sendWithEnv(POLICY, path, { ...r, token: account.accessToken });
      expectProblem(res, 403, "phone_verification_required");
      expect(res.body.pending).toBe("phone");
    }
    // Allowed: the profile, and the phone routes.
    const me = await sendWithEnv(POLICY, "/api/me", { token: account.accessToken });
    expect(me.status).toBe(200);
    expect((await sendWithEnv(POLICY, "/api/me/phone", { token: account.accessToken })).body).toEqual({ phone: null, verifiedAt: null });

    // A refresh alone does not complete it.
    const again = await sendWithEnv(POLICY, "/api/auth/refresh", { method: "POST", cookie: account.cookie });
    expect(again.body.pending).toBe("phone");
    const cookie = refreshCookieFrom(again.headers);
    expectProblem(await sendWithEnv(POLICY, "/api/me/sessions", { token: again.body.accessToken }), 403, "phone_verification_required");

    const phone = uniquePhone();
    expect((await sendWithEnv(POLICY, "/api/me/phone", { json: { phone }, token: account.accessToken })).status).toBe(202);
    const verified = await sendWithEnv(POLICY, "/api/me/phone/verify", {
      json: { phone, code: codeFrom(await latestMessage(phone)) },
      token: account.accessToken,
    });
    expect(verified.status).toBe(200);

    // The token in hand still says pending (a JWT cannot change); the next refresh is complete.
    expectProblem(await sendWithEnv(POLICY, "/api/me/sessions", { token: account.accessToken }), 403, "phone_verification_required");
    const upgraded = await sendWithEnv(POLICY, "/api/auth/refresh", { method: "POST", cookie });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.pending).toBeUndefined();
    const sessions = await sendWithEnv(POLICY, "/api/me/sessions", { token: upgraded.body.accessToken });
    expect(sessions.status).toBe(200);
    const sessionId = (await sendWithEnv(POLICY, "/api/me/token", { token: upgraded.body.accessToken })).body.sessionId;
    expect(sessions.body.sessions.map((s: { id: string }) => s.id)).toContain(sessionId);
    expect((await sendWithEnv(POLICY, "/api/me/identities", { token: upgraded.body.accessToken })).body.phoneVerificationRequired).toBe(false);

    const auditRow = await env.DB.prepare("select count(*) as n from audit_events where user_id = ? and type = 'phone.verified'")
      .bind(me.body.id)
      .first<{ n: number }>();
    expect(auditRow!.n).toBe(1);
  });

  it("cannot be skipped by signing in another way (email code) to the social account", async () => {
    const email = uniqueEmail("social");
    const account = await gitHubSignUp(POLICY, email);
    expect(account.refreshed.pending).toBe("phone");
    expect((await call("/api/auth/otp/send", { json: { email } })).status).toBe(202);
    const [message] = await waitForMessages(email);
    const signedIn = await sendWithEnv(POLICY, "/api/auth/otp/verify", { json: { email, code: codeFrom(message!) } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.pending).toBe("phone");
    expectProblem(await sendWithEnv(POLICY, "/api/me/sessions", { token: signedIn.body.accessToken }), 403, "phone_verification_required");
  });

  it("is refused by other Workers too: the AuthService answers `incomplete`", async () => {
    const account = await gitHubSignUp(POLICY);
    const service = new AuthService({ waitUntil() {}, passThroughOnException() {} } as unknown as ExecutionContext, env);
    expect(await service.verifyAccessToken(account.accessToken)).toEqual({ ok: false, reason: "incomplete" });
  });

  it("leaves password accounts alone, and changes nothing when the policy is off", async () => {
    const { email } = await signUp();
    const login = await sendWithEnv(POLICY, "/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body.pending).toBeUndefined();
    expect((await sendWithEnv(POLICY, "/api/me/sessions", { token: login.body.accessToken })).status).toBe(200);

    const off = await gitHubSignUp({});
    expect(off.landing.searchParams.get("phoneVerificationRequired")).toBeNull();
    expect(off.refreshed.pending).toBeUndefined();
    for (const [path] of RESTRICTED.filter(([, r]) => !r.method && r.json === undefined)) {
      expect((await call(path, { token: off.accessToken })).status).toBe(200);
    }
  });

  it("completes a waiting session at its next refresh once the policy is switched off", async () => {
    const account = await gitHubSignUp(POLICY);
    // Policy switched off: the next refresh is complete.
    const refreshed = await sendWithEnv({}, "/api/auth/refresh", { method: "POST", cookie: account.cookie });
    expect(refreshed.body.pending).toBeUndefined();
    expect((await call("/api/me/sessions", { token: refreshed.body.accessToken })).status).toBe(200);
  });
});
