// REGISTRATION_MODE = "invite-only": every way of CREATING an account is refused without
// an invitation (403 registration_invite_only, the same answer whether or not the
// email/phone has an account), existing accounts still sign in every way, and
// registering through an invitation still works. A typo in the mode fails closed.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { sendWithEnv } from "../abuse-helpers";
import { codeFrom, expectProblem, signUp, STRONG_PASSWORD, uniqueEmail, waitForMessages } from "../helpers";
import { uniquePhone } from "../phone-helpers";
import { callbackPath, githubAs, startSignIn } from "../oauth/helpers";
import { createOrg, invite } from "./org-helpers";

vi.setConfig({ testTimeout: 60_000 });

const INVITE_ONLY = { REGISTRATION_MODE: "invite-only" };
const usersWithEmail = async (email: string) => (await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first<{ n: number }>())!.n;

describe("invite-only mode", () => {
  it("password registration: 403 registration_invite_only, identical for a new and an existing email, nothing created or sent", async () => {
    const existing = await signUp(uniqueEmail("existing"));
    const fresh = uniqueEmail("fresh");
    const a = await sendWithEnv(INVITE_ONLY, "/api/auth/register", { json: { email: fresh, password: STRONG_PASSWORD } });
    const b = await sendWithEnv(INVITE_ONLY, "/api/auth/register", { json: { email: existing.email, password: STRONG_PASSWORD } });
    expectProblem(a, 403, "registration_invite_only");
    expect(b.status).toBe(a.status);
    expect(b.body).toEqual(a.body);
    expect(await usersWithEmail(fresh)).toBe(0);
    const outbox = await sendWithEnv({}, `/api/dev/outbox?to=${encodeURIComponent(fresh)}`);
    expect(outbox.body.messages).toEqual([]);
  });

  it("a password registration started before the switch cannot be finished after it", async () => {
    const email = uniqueEmail("before-switch");
    const started = await sendWithEnv({}, "/api/auth/register", { json: { email, password: STRONG_PASSWORD } });
    expect(started.status).toBe(202);
    const [message] = await waitForMessages(email);
    expectProblem(
      await sendWithEnv(INVITE_ONLY, "/api/auth/verify-email", { json: { registrationToken: started.body.registrationToken, code: codeFrom(message!) } }),
      403,
      "registration_invite_only",
    );
    expect(await usersWithEmail(email)).toBe(0);
  });

  it("phone sign-up: refused at the first step (and at the last, for one started before the switch)", async () => {
    const phone = uniquePhone();
    expectProblem(await sendWithEnv(INVITE_ONLY, "/api/auth/signup/phone/start", { json: { phone } }), 403, "registration_invite_only");
    // Started while sign-up was open, finished after the switch: still refused.
    const started = await sendWithEnv({}, "/api/auth/signup/phone/start", { json: { phone: uniquePhone() } });
    expect(started.status).toBe(202);
    expectProblem(
      await sendWithEnv(INVITE_ONLY, "/api/auth/signup/phone/complete", { json: { signupToken: started.body.signupToken } }),
      403,
      "registration_invite_only",
    );
  });

  it("email code sign-in never creates an account: same 202 for an unknown email, no code sent, no user", async () => {
    const email = uniqueEmail("nobody");
    const res = await sendWithEnv(INVITE_ONLY, "/api/auth/otp/send", { json: { email } });
    expect(res.status).toBe(202);
    expect(await usersWithEmail(email)).toBe(0);
    const known = await signUp(uniqueEmail("known"));
    const again = await sendWithEnv(INVITE_ONLY, "/api/auth/otp/send", { json: { email: known.email } });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(res.body);
  });

  it("social sign-in: a new account is refused (error page registration_invite_only); a known one still signs in", async () => {
    const socialEmail = uniqueEmail("social");
    const start = await startSignIn("github");
    githubAs(Math.floor(Math.random() * 1e9), socialEmail);
    const res = await sendWithEnv(INVITE_ONLY, callbackPath("github", { state: start.state, code: "c" }), { cookie: start.cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("/oauth/error?code=registration_invite_only");
    expect(await usersWithEmail(socialEmail)).toBe(0);
    // An existing verified account links by verified email and signs in as before.
    const known = await signUp(uniqueEmail("social-known"));
    const start2 = await startSignIn("github");
    githubAs(Math.floor(Math.random() * 1e9), known.email);
    const res2 = await sendWithEnv(INVITE_ONLY, callbackPath("github", { state: start2.state, code: "c" }), { cookie: start2.cookie });
    expect(res2.headers.get("location")).toContain("/oauth/done");
  });

  it("existing accounts sign in with a password; registration through an invitation still works", async () => {
    const owner = await signUp(uniqueEmail("owner"));
    expect((await sendWithEnv(INVITE_ONLY, "/api/auth/login", { json: { email: owner.email, password: STRONG_PASSWORD } })).status).toBe(200);
    const org = await createOrg(owner);
    const email = uniqueEmail("invited");
    const { token } = await invite(owner, org.id, email, "member");
    const res = await sendWithEnv(INVITE_ONLY, "/api/auth/register", { json: { email, password: STRONG_PASSWORD, invitationToken: token } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // A forged or reused invitation is no way in.
    expectProblem(
      await sendWithEnv(INVITE_ONLY, "/api/auth/register", { json: { email, password: STRONG_PASSWORD, invitationToken: token } }),
      404,
      "not_found",
    );
  });

  it("a misspelt mode fails closed and /health names it; open is the default", async () => {
    expectProblem(
      await sendWithEnv({ REGISTRATION_MODE: "invite_only" }, "/api/auth/register", { json: { email: uniqueEmail(), password: STRONG_PASSWORD } }),
      403,
      "registration_invite_only",
    );
    const health = await sendWithEnv({ REGISTRATION_MODE: "invite_only" }, "/health");
    expect(health.status).toBe(503);
    expect(health.body.checks.registrationMode).toBe("error");
    expect((await sendWithEnv(INVITE_ONLY, "/health")).body.checks.registrationMode).toBe("ok");
    expect((await sendWithEnv({ REGISTRATION_MODE: "" }, "/api/auth/register", { json: { email: uniqueEmail(), password: STRONG_PASSWORD } })).status).toBe(
      202,
    );
  });
});
