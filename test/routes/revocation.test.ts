// Revocation seen everywhere it matters: every /api/me/* route but the two documented
// exceptions asks the session fence, and a disabled account neither refreshes nor passes
// verifyAccessToken over RPC.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { disableAccount, enableAccount } from "../../src/auth/account-status";
import { endSession } from "../../src/auth/session";
import { call, expectProblem, refreshCookieFrom, signUp, STRONG_PASSWORD } from "../helpers";

declare global {
  namespace Cloudflare {
    interface Env {
      OTHER: Fetcher;
    }
  }
}

/** The routes that may answer a revoked session's token until it expires (see requireUser). */
const FENCE_EXCEPTIONS = ["GET /api/me", "GET /api/me/token"];

/** Every route mounted under /api/me, as "METHOD /path" with its parameters filled in. */
function meRoutes(): string[] {
  const routes = buildApp().routes.filter((r) => r.method !== "ALL" && /^\/api\/me(\/|$)/.test(r.path));
  const fill = (path: string) =>
    path
      .replace(/:provider\b/g, "github")
      .replace(/:[a-zA-Z]+/g, "A".repeat(22))
      .replace(/\/$/, "");
  return [...new Set(routes.map((r) => `${r.method} ${fill(r.path)}`))];
}

async function rpcVerify(token: string) {
  const res = await env.OTHER.fetch("http://other/call", { method: "POST", body: JSON.stringify({ method: "verifyAccessToken", args: [token] }) });
  return ((await res.json()) as { result: unknown }).result;
}

describe("a revoked session's access token", () => {
  it("is refused by every /api/me/* route except GET /api/me and GET /api/me/token", async () => {
    const routes = meRoutes();
    // The walk found the routes (guards against a filter that silently matches nothing).
    expect(routes).toEqual(
      expect.arrayContaining(["GET /api/me/identities", "GET /api/me/phone", "GET /api/me/sessions", "POST /api/me/password", ...FENCE_EXCEPTIONS]),
    );
    const { accessToken } = await signUp();
    const { sub, sid } = JSON.parse(atob(accessToken.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { sub: string; sid: string };
    expect(await endSession(env, sub, sid)).toBe(true);

    for (const route of routes) {
      const [method, path] = route.split(" ") as [string, string];
      const res = await call(path, { method, token: accessToken, ...(method === "GET" || method === "DELETE" ? {} : { json: {} }) });
      if (FENCE_EXCEPTIONS.includes(route)) expect(res.status, route).toBe(200);
      else expectProblem(res, 401, "session_ended");
    }
  });
});

describe("disableAccount", () => {
  it("ends every session: no refresh, no session-checked route, RPC says revoked; enabling lets the owner sign in again", async () => {
    const { email, accessToken, cookie, user } = await signUp();
    const other = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD }, headers: { "x-token-transport": "body" } });
    expect(other.status).toBe(200);
    expect(await rpcVerify(accessToken)).toMatchObject({ ok: true });

    expect(await disableAccount(env, user.id)).toEqual({ endedSessions: 2 });

    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie }), 401, "session_ended");
    expectProblem(await call("/api/auth/refresh", { json: { refreshToken: other.body.refreshToken } }), 401, "session_ended");
    expect(await rpcVerify(accessToken)).toEqual({ ok: false, reason: "revoked" });
    expect(await rpcVerify(other.body.accessToken)).toEqual({ ok: false, reason: "revoked" });
    expectProblem(await call("/api/me/sessions", { token: accessToken }), 401, "session_ended");
    expectProblem(await call("/api/me", { token: accessToken }), 401, "invalid_token");
    expectProblem(await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } }), 401, "invalid_credentials");
    const row = await env.DB.prepare("select disabled_at from users where id = ?").bind(user.id).first<{ disabled_at: number | null }>();
    expect(row?.disabled_at).toEqual(expect.any(Number));

    expect(await enableAccount(env, user.id)).toBe(true);
    // Ended sessions stay ended; a new sign-in works.
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie }), 401, "session_ended");
    const again = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    expect(again.status).toBe(200);
    expect(await rpcVerify(again.body.accessToken)).toMatchObject({ ok: true });
    expect((await call("/api/auth/refresh", { method: "POST", cookie: refreshCookieFrom(again.headers) })).status).toBe(200);
  });

  it("answers false for an unknown user and leaves nothing behind", async () => {
    expect(await disableAccount(env, "Z".repeat(22))).toBeNull();
  });
});
