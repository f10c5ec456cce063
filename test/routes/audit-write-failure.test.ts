// Auditing never changes the answer: routes write the trail only through audit(c, …)
// (src/http/audit.ts), after the response and never awaited. Here the audit store fails
// for one client: a D1 trigger refuses every audit insert from that client's IP (only
// that IP, so no other test's events are touched), and is dropped afterwards.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, expectProblem, signUp } from "../helpers";
import { BINDING_COOKIE, callbackPath, cookieFrom, counts, githubAs, landing, navigate, REFRESH_COOKIE, startSignIn } from "../oauth/helpers";

// 198.18.0.0/15 (benchmarking range): never produced by helpers.randomIp (10.0.0.0/8).
const brokenIp = () => `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

async function breakAuditFor(ip: string) {
  await env.DB.prepare(
    `create trigger if not exists audit_store_down before insert on audit_events when new.ip = '${ip}' begin select raise(abort, 'audit store down'); end`,
  ).run();
  return vi.spyOn(console, "error");
}

afterEach(async () => {
  await env.DB.prepare("drop trigger if exists audit_store_down").run();
});

/** The failure really happened (the test is not passing because nothing was audited at all). */
async function expectAuditFailure(spy: { mock: { calls: unknown[][] } }, type: string) {
  await vi.waitFor(() => expect(spy.mock.calls.some((args) => args[0] === "[audit] write failed" && args[1] === type)).toBe(true), {
    timeout: 2000,
    interval: 20,
  });
}

describe("a failed audit write never changes the answer", () => {
  it("OAuth sign-in: the refresh cookie is set and the browser lands on /oauth/done, not the error page", async () => {
    const ip = brokenIp();
    const start = await startSignIn("github");
    githubAs(Math.floor(Math.random() * 1e9));
    const spy = await breakAuditFor(ip);
    const res = await navigate(callbackPath("github", { state: start.state, code: "c" }), { cookie: start.cookie, headers: { "cf-connecting-ip": ip } });
    expect(landing(res)).toMatchObject({ path: "/oauth/done", params: { signedIn: "1" } });
    const cookie = cookieFrom(res.headers, REFRESH_COOKIE);
    expect(cookie).toBeTruthy();
    // The session the cookie names exists and works.
    expect((await call("/api/auth/refresh", { method: "POST", cookie: cookie! })).status).toBe(200);
    await expectAuditFailure(spy, "sign_in.success");
  });

  it("OAuth link: the provider is linked and the browser lands on /oauth/done?linked", async () => {
    const ip = brokenIp();
    const account = await signUp();
    const start = await call("/api/me/identities/github", { json: {}, token: account.accessToken });
    githubAs(Math.floor(Math.random() * 1e9));
    const spy = await breakAuditFor(ip);
    const state = new URL(start.body.authorizationUrl).searchParams.get("state")!;
    const res = await navigate(callbackPath("github", { state, code: "c" }), {
      cookie: cookieFrom(start.headers, BINDING_COOKIE)!,
      headers: { "cf-connecting-ip": ip },
    });
    expect(landing(res).params.linked).toBe("github");
    expect((await call("/api/me/identities", { token: account.accessToken })).body.identities).toHaveLength(1);
    await expectAuditFailure(spy, "identity.linked");
  });

  it("unlinking answers 204 (not 500) once the identity is gone", async () => {
    const ip = brokenIp();
    const account = await signUp();
    await env.DB.prepare("insert into identities (id, user_id, provider, subject, email_verified, verified_at, created_at) values (?, ?, 'github', ?, 0, 0, 0)")
      .bind(crypto.randomUUID(), account.user.id, `gh-${crypto.randomUUID()}`)
      .run();
    const [github] = (await call("/api/me/identities", { token: account.accessToken })).body.identities;
    const before = await counts();
    const spy = await breakAuditFor(ip);
    const res = await call(`/api/me/identities/${github.id}`, { method: "DELETE", token: account.accessToken, headers: { "cf-connecting-ip": ip } });
    expect(res.status).toBe(204);
    expect(await counts()).toEqual({ ...before, identities: before.identities - 1 });
    await expectAuditFailure(spy, "identity.unlinked");
    // A repeat is an honest 404, not a 500 either.
    expectProblem(
      await call(`/api/me/identities/${github.id}`, { method: "DELETE", token: account.accessToken, headers: { "cf-connecting-ip": ip } }),
      404,
      "not_found",
    );
  });
});
