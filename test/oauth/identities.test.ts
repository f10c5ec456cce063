// /api/me/identities: list, link another provider while signed in, unlink (never the last).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { needsPhoneVerification } from "../../src/auth/oauth/accounts";
import { call, expectProblem, refreshCookieFrom, signUp } from "../helpers";
import {
  BINDING_COOKIE,
  callbackPath,
  cookieFrom,
  counts,
  expectErrorPage,
  githubAs,
  landing,
  navigate,
  REFRESH_COOKIE,
  startSignIn,
  uniqueProviderId,
} from "./helpers";
import { answer, intercept } from "../http-intercept";

const facebookAs = (id: string) =>
  intercept({
    "https://graph.facebook.com/v16.0/oauth/access_token": answer({ access_token: `fb_${id}`, token_type: "bearer" }),
    "https://graph.facebook.com/v16.0/me": answer({ id, name: "F" }),
  });
const randomId = uniqueProviderId;

/** Starts linking from the signed-in SPA, then finishes at the callback in the same browser. */
async function link(accessToken: string, provider: string, finish: () => void) {
  const res = await call(`/api/me/identities/${provider}`, { json: { returnTo: "/account/sign-in-methods" }, token: accessToken });
  expect(res.status).toBe(200);
  const url = new URL(res.body.authorizationUrl);
  const cookie = cookieFrom(res.headers, BINDING_COOKIE)!;
  expect(cookie).toBeTruthy();
  finish();
  return navigate(callbackPath(provider, { state: url.searchParams.get("state")!, code: "link-code" }), { cookie });
}

/** A social-only account (no password): signs in with GitHub and returns its access token. */
async function socialAccount() {
  const id = randomId();
  const start = await startSignIn("github");
  githubAs(id);
  const res = await navigate(callbackPath("github", { state: start.state, code: "c" }), { cookie: start.cookie });
  const refreshed = await call("/api/auth/refresh", { method: "POST", cookie: cookieFrom(res.headers, REFRESH_COOKIE)! });
  return { id, accessToken: refreshed.body.accessToken as string };
}

describe("/api/me/identities", () => {
  it("links a provider to a password account, lists it, and unlinks it", async () => {
    const account = await signUp();
    const empty = await call("/api/me/identities", { token: account.accessToken });
    expect(empty.body).toEqual({ identities: [], hasPassword: true, phoneVerificationRequired: false });

    const id = randomId();
    const before = await counts();
    const res = await link(account.accessToken, "github", () => githubAs(id, "someone-else@example.com"));
    expect(landing(res)).toEqual({ path: "/oauth/done", params: { returnTo: "/account/sign-in-methods", linked: "github" } });
    // Linking does not start a new session.
    expect(cookieFrom(res.headers, REFRESH_COOKIE)).toBeNull();
    expect(await counts()).toEqual({ users: before.users, identities: before.identities + 1 });

    const list = await call("/api/me/identities", { token: account.accessToken });
    expect(list.body.identities).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        provider: "github",
        email: "someone-else@example.com",
        emailVerified: true,
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
    ]);
    // The password remains, so the provider can go.
    const del = await call(`/api/me/identities/${list.body.identities[0].id}`, { method: "DELETE", token: account.accessToken });
    expect(del.status).toBe(204);
    expect((await call("/api/me/identities", { token: account.accessToken })).body.identities).toEqual([]);
    expectProblem(await call(`/api/me/identities/${list.body.identities[0].id}`, { method: "DELETE", token: account.accessToken }), 404, "not_found");
  });

  it("refuses to link a provider account that belongs to another user", async () => {
    const owner = await socialAccount();
    const other = await signUp();
    const before = await counts();
    expectErrorPage(await link(other.accessToken, "github", () => githubAs(owner.id)), "identity_in_use");
    expect(await counts()).toEqual(before);
  });

  it("never unlinks the last way to sign in; with two identities, parallel unlinks leave one", async () => {
    const account = await socialAccount();
    const [only] = (await call("/api/me/identities", { token: account.accessToken })).body.identities;
    expect((await call("/api/me/identities", { token: account.accessToken })).body.hasPassword).toBe(false);
    expectProblem(await call(`/api/me/identities/${only.id}`, { method: "DELETE", token: account.accessToken }), 409, "last_sign_in_method");

    await link(account.accessToken, "facebook", () => facebookAs(String(randomId())));
    const both = (await call("/api/me/identities", { token: account.accessToken })).body.identities as { id: string }[];
    expect(both).toHaveLength(2);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(`/api/me/identities/${both[i % 2]!.id}`, { method: "DELETE", token: account.accessToken })),
    );
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    expect((await call("/api/me/identities", { token: account.accessToken })).body.identities).toHaveLength(1);
  });

  it("refuses bad input and unauthenticated calls, changing nothing", async () => {
    const account = await signUp();
    const before = await counts();
    expectProblem(await call("/api/me/identities"), 401, "unauthorized");
    expectProblem(await call("/api/me/identities/github", { json: {} }), 401, "unauthorized");
    expectProblem(await call("/api/me/identities/myspace", { json: {}, token: account.accessToken }), 404, "provider_not_configured");
    expectProblem(
      await call("/api/me/identities/github", { json: { returnTo: "https://evil.example" }, token: account.accessToken }),
      400,
      "validation_failed",
    );
    expectProblem(await call("/api/me/identities/github", { json: { returnTo: 42 }, token: account.accessToken }), 400, "validation_failed");
    // Hono's json validator rejects malformed JSON before ours runs (main answers validation_failed today).
    const malformed = await call("/api/me/identities/github", {
      body: "{not json",
      headers: { "content-type": "application/json" },
      token: account.accessToken,
    });
    expect(malformed.status).toBe(400);
    expect(["invalid_json", "validation_failed"]).toContain(malformed.body.code);
    expectProblem(
      await call("/api/me/identities/github", { body: "x".repeat(70 * 1024), headers: { "content-type": "application/json" }, token: account.accessToken }),
      413,
      "payload_too_large",
    );
    for (const id of ["'; drop table identities; --", "..%2F..", "ä".repeat(36)]) {
      expectProblem(await call(`/api/me/identities/${encodeURIComponent(id)}`, { method: "DELETE", token: account.accessToken }), 404, "not_found");
    }
    expect(await counts()).toEqual(before);
  });

  it("reports phoneVerificationRequired under the phone policy until a phone identity exists", async () => {
    const account = await socialAccount();
    const userId = (await call("/api/me", { token: account.accessToken })).body.id;
    expect(await needsPhoneVerification(env, userId, true)).toBe(true);
    expect(await needsPhoneVerification(env, userId, false)).toBe(false);
    await env.DB.prepare("insert into identities (id, user_id, provider, subject, email_verified, created_at) values (?, ?, 'phone', ?, 0, 0)")
      .bind(crypto.randomUUID(), userId, `+4915${randomId()}`)
      .run();
    expect(await needsPhoneVerification(env, userId, true)).toBe(false);
  });

  it("admits exactly the link budget (10 per minute per account) out of a 4x parallel burst", async () => {
    const account = await signUp();
    const results = await Promise.all(Array.from({ length: 40 }, () => call("/api/me/identities/github", { json: {}, token: account.accessToken })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(30);
  });

  it("a link is bound to the session that started it: ended before the callback, nothing is linked", async () => {
    const account = await signUp();
    const res = await call("/api/me/identities/github", { json: {}, token: account.accessToken });
    expect(res.status).toBe(200);
    const state = new URL(res.body.authorizationUrl).searchParams.get("state")!;
    const cookie = cookieFrom(res.headers, BINDING_COOKIE)!;
    // The owner (or a revocation after a theft) ends that session before the provider answers.
    expect((await call("/api/auth/logout", { method: "POST", cookie: account.cookie })).status).toBe(204);
    const seen = githubAs(randomId());
    const before = await counts();
    expectErrorPage(await navigate(callbackPath("github", { state, code: "link-code" }), { cookie }), "session_ended");
    expect(await counts()).toEqual(before);
    // Refused before the code is exchanged: the provider was never asked.
    expect(seen).toEqual([]);
    const event = await env.DB.prepare("select reason from audit_events where user_id = ? and type = 'identity.link_failed'")
      .bind(account.user.id)
      .first<{ reason: string }>();
    expect(event?.reason).toBe("link_session_ended");
  });

  it("a link revoked from another device (DELETE /api/me/sessions/:id) is refused too", async () => {
    const account = await signUp();
    const res = await call("/api/me/identities/github", { json: {}, token: account.accessToken });
    const state = new URL(res.body.authorizationUrl).searchParams.get("state")!;
    const cookie = cookieFrom(res.headers, BINDING_COOKIE)!;
    const other = await call("/api/auth/login", { json: { email: account.email, password: account.password } });
    const sessionId = (await call("/api/me/token", { token: account.accessToken })).body.sessionId;
    expect((await call(`/api/me/sessions/${sessionId}`, { method: "DELETE", token: other.body.accessToken })).status).toBe(204);
    githubAs(randomId());
    const before = await counts();
    expectErrorPage(await navigate(callbackPath("github", { state, code: "link-code" }), { cookie }), "session_ended");
    expect(await counts()).toEqual(before);
  });

  it("refuses link returnTo values that normalise to another host, storing nothing", async () => {
    const account = await signUp();
    const before = (await env.KV.list({ prefix: "oauth-state:" })).keys.length;
    for (const returnTo of [
      "/.//evil.example",
      "/a/..//evil.example",
      "/%2e//evil.example",
      "/.%2f/evil.example",
      "/\\evil.example",
      "/%5Cevil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
    ]) {
      const res = await call("/api/me/identities/github", { json: { returnTo }, token: account.accessToken });
      expectProblem(res, 400, "validation_failed");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect((await env.KV.list({ prefix: "oauth-state:" })).keys.length).toBe(before);
  });

  it("a signed-in browser that links keeps its refresh cookie working", async () => {
    const account = await signUp();
    await link(account.accessToken, "github", () => githubAs(randomId()));
    const refreshed = await call("/api/auth/refresh", { method: "POST", cookie: account.cookie });
    expect(refreshed.status).toBe(200);
    expect(refreshCookieFrom(refreshed.headers)).toBeTruthy();
  });
});
