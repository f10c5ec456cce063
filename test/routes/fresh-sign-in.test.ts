// requireRecentAuth: every change to how an account signs in (phone, provider, password)
// needs a sign-in within REAUTH_WINDOW_SECONDS (300 in wrangler.toml). The attacker here
// holds a stolen refresh cookie: it keeps minting new access tokens, but none of them is
// a fresh sign-in.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, expectProblem, signUp, STRONG_PASSWORD } from "../helpers";
import { BINDING_COOKIE, cookieFrom } from "../oauth/helpers";
import { latestMessage, uniquePhone, userWithPhone } from "../phone-helpers";

const WINDOW_MS = 300_000;

/** An access token minted by refreshing a session whose sign-in is older than the window. */
async function staleToken(cookie: string): Promise<string> {
  clock.advance(WINDOW_MS + 1);
  const refreshed = await call("/api/auth/refresh", { method: "POST", cookie });
  expect(refreshed.status).toBe(200);
  return refreshed.body.accessToken;
}

const identities = async (userId: string) =>
  (
    await env.DB.prepare("select provider, subject from identities where user_id = ? order by provider")
      .bind(userId)
      .all<{ provider: string; subject: string }>()
  ).results;

const addIdentity = (userId: string, provider: string) =>
  env.DB.prepare("insert into identities (id, user_id, provider, subject, email_verified, verified_at, created_at) values (?, ?, ?, ?, 0, 0, 0)")
    .bind(crypto.randomUUID(), userId, provider, `${provider}-${crypto.randomUUID()}`)
    .run();

const oauthTransactions = async () => (await env.KV.list({ prefix: "oauth-state:" })).keys.length;

describe("requireRecentAuth on sign-in method changes", () => {
  it("deleting the verified phone first does not skip the check for changing it", async () => {
    const victim = await userWithPhone();
    const token = await staleToken(victim.cookie);
    const phoneIdentity = (await call("/api/me/identities", { token })).body.identities.find((i: { provider: string }) => i.provider === "phone");
    expectProblem(await call(`/api/me/identities/${phoneIdentity.id}`, { method: "DELETE", token }), 403, "reauthentication_required");
    expectProblem(await call("/api/me/phone", { json: { phone: uniquePhone() }, token }), 403, "reauthentication_required");
    expect((await call("/api/me/phone", { token })).body.phone).toBe(victim.phone);
  });

  it("adding a first phone and confirming it both need a fresh sign-in", async () => {
    const account = await signUp();
    const phone = uniquePhone();
    expect((await call("/api/me/phone", { json: { phone }, token: account.accessToken })).status).toBe(202);
    const code = codeFrom(await latestMessage(phone));
    const token = await staleToken(account.cookie);
    expectProblem(await call("/api/me/phone/verify", { json: { phone, code }, token }), 403, "reauthentication_required");
    expectProblem(await call("/api/me/phone", { json: { phone: uniquePhone() }, token }), 403, "reauthentication_required");
    expect(await identities(account.user.id)).toEqual([]);
  });

  it("linking a provider with a stale session is refused before any transaction or cookie exists", async () => {
    const account = await signUp();
    const token = await staleToken(account.cookie);
    const before = await oauthTransactions();
    const res = await call("/api/me/identities/github", { json: {}, token });
    expectProblem(res, 403, "reauthentication_required");
    expect(res.body.maxAgeSeconds).toBe(WINDOW_MS / 1000);
    expect(cookieFrom(res.headers, BINDING_COOKIE)).toBeNull();
    expect(await oauthTransactions()).toBe(before);
  });

  it("unlinking a provider with a stale session is refused; the identity stays", async () => {
    const account = await signUp();
    await addIdentity(account.user.id, "github");
    const token = await staleToken(account.cookie);
    const [github] = (await call("/api/me/identities", { token })).body.identities;
    expectProblem(await call(`/api/me/identities/${github.id}`, { method: "DELETE", token }), 403, "reauthentication_required");
    expect((await identities(account.user.id)).map((i) => i.provider)).toEqual(["github"]);
  });

  it("changing the password with a stale session is refused even with the right current password", async () => {
    const account = await signUp();
    const token = await staleToken(account.cookie);
    expectProblem(
      await call("/api/me/password", { json: { currentPassword: STRONG_PASSWORD, newPassword: "a brand new passphrase for testing" }, token }),
      403,
      "reauthentication_required",
    );
    expect((await call("/api/auth/login", { json: { email: account.email, password: STRONG_PASSWORD } })).status).toBe(200);
  });

  it("the window is REAUTH_WINDOW_SECONDS: 5 s before its end the sign-in is fresh, 1 ms after it is not", async () => {
    const account = await signUp();
    // Real time also passes between the sign-in and each request, so the positive case
    // keeps a margin and the negative one is past the window whatever that time is.
    clock.advance(WINDOW_MS - 5000);
    expect((await call("/api/me/identities/github", { json: {}, token: account.accessToken })).status).toBe(200);
    clock.advance(5001);
    expectProblem(await call("/api/me/identities/github", { json: {}, token: account.accessToken }), 403, "reauthentication_required");
  });

  it("a new sign-in makes the same requests work; an ended session answers 401 session_ended", async () => {
    const account = await signUp();
    await addIdentity(account.user.id, "github");
    const stale = await staleToken(account.cookie);
    const login = await call("/api/auth/login", { json: { email: account.email, password: STRONG_PASSWORD } });
    const [github] = (await call("/api/me/identities", { token: login.body.accessToken })).body.identities;
    expect((await call(`/api/me/identities/${github.id}`, { method: "DELETE", token: login.body.accessToken })).status).toBe(204);
    expect((await call("/api/auth/logout", { method: "POST", cookie: account.cookie })).status).toBe(204);
    expectProblem(await call("/api/me/identities/github", { json: {}, token: stale }), 401, "session_ended");
  });
});
