// End to end against a REAL OpenID Connect server (oauth2-mock-server on 127.0.0.1,
// started by test/oidc-server.global.ts) through the generic OIDC provider: discovery,
// redirect with PKCE + nonce, the provider's authorize step, code exchange, id_token
// verified against the server's JWKS, user created, session issued, same user next time.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, ORIGIN } from "../helpers";
import { BINDING_COOKIE, cookieFrom, counts, expectErrorPage, landing, lastFailureReason, navigate, REFRESH_COOKIE, startSignIn } from "./helpers";

const issuer = env.OIDC_ISSUER!;

/** What a person does on the provider's page: the provider redirects back with a code. */
async function authorizeAtProvider(url: URL, claims?: Record<string, unknown>): Promise<URL> {
  const authorize = new URL(url);
  if (claims) authorize.searchParams.set("login_hint", JSON.stringify(claims));
  const res = await fetch(authorize, { redirect: "manual" });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

async function signInAt(claims: Record<string, unknown>, returnTo = "/account") {
  const start = await startSignIn("oidc", returnTo);
  const back = await authorizeAtProvider(start.url, claims);
  return { start, back, res: await navigate(`${back.pathname}${back.search}`, { cookie: start.cookie }) };
}

describe("generic OIDC provider against a real local server", () => {
  it("lists the provider with its configured name", async () => {
    const res = await call("/api/auth/providers");
    expect(res.status).toBe(200);
    expect(res.body.providers).toContainEqual({ id: "oidc", name: "Test IdP", startUrl: "/api/auth/oauth/oidc" });
    expect(res.body.providers.map((p: { id: string }) => p.id)).toEqual(["google", "github", "microsoft", "apple", "facebook", "linkedin", "auth0", "oidc"]);
  });

  it("documents its routes in the OpenAPI document", async () => {
    const doc = (await call("/api/openapi.json")).body;
    for (const path of [
      "/api/auth/providers",
      "/api/auth/oauth/{provider}",
      "/api/auth/oauth/{provider}/callback",
      "/api/me/identities",
      "/api/me/identities/{provider}",
      "/api/me/identities/{id}",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });

  it("signs up, issues a session, and finds the same user on the next sign-in", async () => {
    const sub = `alice-${crypto.randomUUID()}`;
    const email = `${sub}@oidc.test`;
    const before = await counts();

    const start = await startSignIn("oidc", "/settings?tab=security");
    // The authorization request built from discovery: exact redirect URI, PKCE S256, nonce.
    expect(`${start.url.origin}${start.url.pathname}`).toBe(`${issuer}/authorize`);
    expect(start.url.searchParams.get("redirect_uri")).toBe(`${ORIGIN}/api/auth/oauth/oidc/callback`);
    expect(start.url.searchParams.get("client_id")).toBe("edge-auth-test");
    expect(start.url.searchParams.get("response_type")).toBe("code");
    expect(start.url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(start.url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(start.url.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(start.url.searchParams.get("scope")).toBe("openid email profile");
    expect(start.cookie.startsWith(`${BINDING_COOKIE}=`)).toBe(true);

    const back = await authorizeAtProvider(start.url, { sub, email, email_verified: true, name: "Alice Example" });
    expect(back.pathname).toBe("/api/auth/oauth/oidc/callback");
    expect(back.searchParams.get("state")).toBe(start.state);

    const res = await navigate(`${back.pathname}${back.search}`, { cookie: start.cookie });
    const page = landing(res);
    expect(page).toEqual({ path: "/oauth/done", params: { returnTo: "/settings?tab=security", signedIn: "1", created: "1" } });
    const refreshCookie = cookieFrom(res.headers, REFRESH_COOKIE)!;
    expect(refreshCookie).toBeTruthy();
    expect(res.headers.get("cache-control")).toBe("no-store");

    // The SPA then gets its access token from the refresh cookie, like after any sign-in.
    const refreshed = await call("/api/auth/refresh", { method: "POST", cookie: refreshCookie });
    expect(refreshed.status).toBe(200);
    const me = await call("/api/me", { token: refreshed.body.accessToken });
    expect(me.body).toMatchObject({ email, emailVerified: true, name: "Alice Example" });
    expect(await counts()).toEqual({ users: before.users + 1, identities: before.identities + 1 });
    const identity = await env.DB.prepare("select * from identities where provider = 'oidc' and subject = ?").bind(sub).first<Record<string, unknown>>();
    expect(identity).toMatchObject({ user_id: me.body.id, email, email_verified: 1 });
    // No provider token was kept anywhere: the identity row has no token column at all.
    expect(Object.keys(identity!).some((k) => k.includes("token"))).toBe(false);

    // Second sign-in: same user, no new rows, a new session.
    const again = await signInAt({ sub, email, email_verified: true });
    expect(landing(again.res).params).toEqual({ returnTo: "/account", signedIn: "1" });
    const second = await call("/api/auth/refresh", { method: "POST", cookie: cookieFrom(again.res.headers, REFRESH_COOKIE)! });
    const me2 = await call("/api/me", { token: second.body.accessToken });
    expect(me2.body.id).toBe(me.body.id);
    expect(await counts()).toEqual({ users: before.users + 1, identities: before.identities + 1 });
  });

  it("refuses a wrong PKCE verifier at the real token endpoint; nothing is created", async () => {
    const before = await counts();
    const start = await startSignIn("oidc");
    // Swap the server-side verifier for another valid-looking one: the provider must refuse.
    const key = (await env.KV.list({ prefix: "oauth-state:" })).keys.map((k) => k.name);
    for (const name of key) {
      const tx = await env.KV.get<Record<string, unknown>>(name, "json");
      if (tx) await env.KV.put(name, JSON.stringify({ ...tx, codeVerifier: "x".repeat(43) }), { expirationTtl: 600 });
    }
    const back = await authorizeAtProvider(start.url, { sub: `pkce-${crypto.randomUUID()}`, email_verified: false });
    expectErrorPage(await navigate(`${back.pathname}${back.search}`, { cookie: start.cookie }), "oauth_failed");
    expect(await lastFailureReason()).toMatch(/^token_exchange/);
    expect(await counts()).toEqual(before);
  });

  for (const [name, claims, reason] of [
    ["wrong nonce", { nonce: "not-the-nonce-we-sent" }, "id_token:nonce"],
    ["wrong audience", { aud: "someone-else" }, "id_token:ERR_JWT_CLAIM_VALIDATION_FAILED"],
    ["wrong issuer", { iss: "http://127.0.0.1:1/evil" }, "id_token:ERR_JWT_CLAIM_VALIDATION_FAILED"],
    ["expired", { exp: Math.floor(Date.now() / 1000) - 3600 }, "id_token:ERR_JWT_EXPIRED"],
  ] as const) {
    it(`refuses an id_token with a ${name} from the real server; nothing is created`, async () => {
      const before = await counts();
      const { res } = await signInAt({ sub: `bad-${crypto.randomUUID()}`, email: "victim@oidc.test", email_verified: true, ...claims });
      expectErrorPage(res, "oauth_failed");
      expect(await lastFailureReason()).toBe(reason);
      expect(await counts()).toEqual(before);
    });
  }
});
