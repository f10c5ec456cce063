// The drop-in middleware of `edge-auth/verifier`, mounted in a Hono app as another
// Worker would mount it: once with the service binding, once with the JWKS URL.
import { env, SELF } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { Hono } from "hono";
import { importJWK, SignJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { type AuthServiceBinding, createJwksVerifier, jwksAuth, serviceAuth, type AuthVariables } from "edge-auth/verifier";
import { call, ORIGIN, signUp } from "../helpers";
import { intercept } from "../http-intercept";

const JWKS_URL = `${ORIGIN}/.well-known/jwks.json`;

function protectedApp(middleware: ReturnType<typeof serviceAuth>) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.use("/private/*", middleware);
  app.get("/private/me", (c) => c.json({ sub: c.get("auth").sub, sid: c.get("auth").sid, amr: c.get("auth").amr, auth_time: c.get("auth").auth_time }));
  app.get("/public", (c) => c.text("hello"));
  return app;
}

const authService = () => (exports as unknown as { AuthService: AuthServiceBinding }).AuthService;
/** The session a protected route saw (its answer to a valid token). */
const sessionOf = (res: { body: unknown }) => res.body as { sub: string; sid: string };

async function get(app: Hono<{ Variables: AuthVariables }>, path: string, token?: string, bindings: Record<string, unknown> = { AUTH: authService() }) {
  const res = await app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} }, bindings);
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as unknown };
}

function expectRefused(res: { status: number; headers: Headers; body: unknown }, code: string) {
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body).toMatchObject({ status: 401, code });
  expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api", error="invalid_token"');
}

/** Routes the verifier's JWKS fetches to this Worker; returns the requests it made. */
const serveJwks = () => intercept({ [JWKS_URL]: (sent) => SELF.fetch(sent.url, { headers: sent.headers }) });

async function signWithServiceKey(claims: Record<string, unknown>) {
  const jwk = JSON.parse(env.JWT_PRIVATE_KEYS)[0];
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: ORIGIN, aud: ORIGIN, sub: "u".repeat(22), sid: "s".repeat(22), iat: now, exp: now + 600, jti: "j", ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: "at+jwt" }).sign(await importJWK(jwk, jwk.alg));
}

describe("serviceAuth (RPC through the binding)", () => {
  it("lets a valid token through with its claims on the context, and nothing else", async () => {
    const { accessToken, user } = await signUp();
    const app = protectedApp(serviceAuth());
    expect(await get(app, "/private/me", accessToken)).toMatchObject({ status: 200, body: { sub: user.id, sid: expect.any(String) } });
    // How and when the user authenticated reach the other Worker too (amr: the sign-up's emailed code).
    expect((await get(app, "/private/me", accessToken)).body).toMatchObject({ amr: ["otp"], auth_time: expect.any(Number) });
    expect((await get(app, "/public")).status).toBe(200);

    const missing = await get(app, "/private/me");
    expect(missing).toMatchObject({ status: 401, body: { code: "unauthorized" } });
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    for (const header of ["Basic abc", "Bearer", "Bearer a b", `bearer  ${accessToken} x`]) {
      const res = await app.request("/private/me", { headers: { authorization: header } }, { AUTH: authService() });
      expect(res.status).toBe(401);
    }
    expectRefused(await get(app, "/private/me", "not.a.token"), "invalid_token");
  });

  it("refuses a revoked session's token at once", async () => {
    const { accessToken } = await signUp();
    const app = protectedApp(serviceAuth());
    expect((await get(app, "/private/me", accessToken)).status).toBe(200);
    const { sub, sid } = sessionOf(await get(app, "/private/me", accessToken));
    expect(await authService().revokeSession(sub, sid)).toBe(true);
    expectRefused(await get(app, "/private/me", accessToken), "session_ended");
    // Opting out of the check trades that for no DO round trip.
    expect((await get(protectedApp(serviceAuth({ checkRevocation: false })), "/private/me", accessToken)).status).toBe(200);
  });

  it('checkRevocation "edge" reads the published session state: live passes, ended is refused', async () => {
    const { accessToken } = await signUp();
    const app = protectedApp(serviceAuth({ checkRevocation: "edge" }));
    const first = await get(app, "/private/me", accessToken);
    expect(first.status).toBe(200);
    expect(await authService().revokeSession(sessionOf(first).sub, sessionOf(first).sid)).toBe(true);
    expectRefused(await get(app, "/private/me", accessToken), "session_ended");
  });

  it("answers 503, not 401, when the binding is missing or the service fails", async () => {
    const { accessToken } = await signUp();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const missing = await get(protectedApp(serviceAuth({ binding: "NOPE" })), "/private/me", accessToken);
    expect(missing).toMatchObject({ status: 503, body: { code: "service_unavailable" } });
    const failing = { verifyAccessToken: () => Promise.reject(new Error("down")) };
    expect((await get(protectedApp(serviceAuth()), "/private/me", accessToken, { AUTH: failing })).status).toBe(503);
    expect(errors).toHaveBeenCalled();
  });
});

describe("jwksAuth (local verification against /.well-known/jwks.json)", () => {
  const options = { jwksUrl: JWKS_URL, issuer: ORIGIN, audience: ORIGIN };

  it("verifies with the published keys, fetching them once", async () => {
    const { accessToken, user } = await signUp();
    const fetches = serveJwks();
    const app = protectedApp(jwksAuth(options));
    expect(await get(app, "/private/me", accessToken, {})).toMatchObject({ status: 200, body: { sub: user.id } });
    expect(await get(app, "/private/me", accessToken, {})).toMatchObject({ status: 200 });
    expect(fetches).toEqual([{ method: "GET", url: JWKS_URL, headers: expect.any(Object) }]);
  });

  it("refuses wrong issuer, audience, algorithm, type, expiry and unknown keys", async () => {
    const { accessToken } = await signUp();
    serveJwks();
    expectRefused(await get(protectedApp(jwksAuth({ ...options, issuer: "https://other.example" })), "/private/me", accessToken, {}), "invalid_token");
    expectRefused(await get(protectedApp(jwksAuth({ ...options, audience: "https://other.example" })), "/private/me", accessToken, {}), "invalid_token");
    expectRefused(await get(protectedApp(jwksAuth({ ...options, algorithms: ["ES256"] })), "/private/me", accessToken, {}), "invalid_token");
    const app = protectedApp(jwksAuth({ ...options, cooldownMs: 0 }));
    const now = Math.floor(Date.now() / 1000);
    expectRefused(await get(app, "/private/me", await signWithServiceKey({ iat: now - 2000, exp: now - 1000 }), {}), "token_expired");
    expectRefused(await get(app, "/private/me", await signWithServiceKey({ sid: undefined }), {}), "invalid_token");
    const [, p, s] = accessToken.split(".");
    const otherKid = btoa(JSON.stringify({ alg: "EdDSA", kid: "retired-long-ago", typ: "at+jwt" })).replace(/=+$/, "");
    expectRefused(await get(app, "/private/me", `${otherKid}.${p}.${s}`, {}), "invalid_token");
    expect(() => createJwksVerifier({ ...options, algorithms: ["HS256"] })).toThrow();
    expect(() => createJwksVerifier({ ...options, algorithms: ["none"] })).toThrow();
  });

  it("cannot see a revocation: the token passes until it expires (README says so)", async () => {
    const { accessToken } = await signUp();
    serveJwks();
    const verified = await authService().verifyAccessToken(accessToken);
    if (!verified.ok) throw new Error(verified.reason);
    expect(await authService().revokeSession(verified.claims.sub, verified.claims.sid)).toBe(true);
    expect((await get(protectedApp(jwksAuth(options)), "/private/me", accessToken, {})).status).toBe(200);
  });

  it("answers 503 when the JWKS cannot be fetched", async () => {
    const { accessToken } = await signUp();
    intercept({ [JWKS_URL]: () => Promise.reject(new TypeError("network down")) });
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await get(protectedApp(jwksAuth(options)), "/private/me", accessToken, {})).toMatchObject({ status: 503, body: { code: "service_unavailable" } });
  });
});

describe("GET /.well-known/jwks.json", () => {
  it("publishes public keys only, cacheable, readable from any origin", async () => {
    const res = await call("/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=60");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const signing = JSON.parse(env.JWT_PRIVATE_KEYS)[0];
    expect(res.body.keys).toEqual([{ kty: "OKP", crv: "Ed25519", x: signing.x, kid: signing.kid, alg: "EdDSA", use: "sig" }]);
  });
});
