// Fixed-URL providers: the authorization URL each one gets, and the exact token and
// user-info requests sent, with the provider side intercepted at fetch. id_tokens are
// signed by a key the test owns and served as the provider's JWKS.
import { env } from "cloudflare:test";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { call, ORIGIN } from "../helpers";
import { callbackPath, cookieFrom, counts, landing, navigate, providerKeys, REFRESH_COOKIE, startSignIn, uniqueProviderId } from "./helpers";
import { answer, intercept } from "../http-intercept";

const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;
const uid = () => crypto.randomUUID().slice(0, 8);

async function s256(verifier: string) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function meAfter(res: Awaited<ReturnType<typeof navigate>>) {
  const refreshed = await call("/api/auth/refresh", { method: "POST", cookie: cookieFrom(res.headers, REFRESH_COOKIE)! });
  expect(refreshed.status).toBe(200);
  return (await call("/api/me", { token: refreshed.body.accessToken })).body;
}

describe("Google (OIDC, PKCE)", () => {
  it("sends the documented authorization request, token request and verifies the id_token", async () => {
    const keys = await providerKeys();
    const start = await startSignIn("google", "/welcome");
    expect(`${start.url.origin}${start.url.pathname}`).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    expect(Object.fromEntries(start.url.searchParams)).toEqual({
      response_type: "code",
      client_id: env.GOOGLE_CLIENT_ID,
      redirect_uri: `${ORIGIN}/api/auth/oauth/google/callback`,
      state: start.state,
      code_challenge_method: "S256",
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      scope: "openid email profile",
      nonce: start.nonce,
    });
    const sub = `g-${uid()}`;
    const email = `${sub}@gmail.example`;
    const idToken = await keys.sign({
      iss: "https://accounts.google.com",
      aud: env.GOOGLE_CLIENT_ID,
      sub,
      email,
      email_verified: true,
      name: "Gina Google",
      nonce: start.nonce!,
    });
    const seen = intercept({
      "https://oauth2.googleapis.com/token": answer({ access_token: "google-at", id_token: idToken, token_type: "Bearer", expires_in: 3599 }),
      "https://www.googleapis.com/oauth2/v3/certs": answer(keys.jwks),
    });
    const res = await navigate(callbackPath("google", { state: start.state, code: "google-code" }), { cookie: start.cookie });
    expect(landing(res)).toEqual({ path: "/oauth/done", params: { returnTo: "/welcome", signedIn: "1", created: "1" } });

    const token = seen.find((s) => s.url === "https://oauth2.googleapis.com/token")!;
    expect(token.method).toBe("POST");
    expect(token.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(token.headers.authorization).toBe(basic(env.GOOGLE_CLIENT_ID!, env.GOOGLE_CLIENT_SECRET!));
    const body = token.body!;
    expect(body).toEqual({
      grant_type: "authorization_code",
      code: "google-code",
      redirect_uri: `${ORIGIN}/api/auth/oauth/google/callback`,
      code_verifier: expect.any(String),
    });
    // The verifier sent is the one behind the challenge in the authorization request.
    expect(await s256(String(body.code_verifier))).toBe(start.verifierChallenge);
    expect(seen.map((s) => s.url)).toEqual(["https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v3/certs"]);
    expect(await meAfter(res)).toMatchObject({ email, emailVerified: true, name: "Gina Google" });
  });
});

describe("GitHub (OAuth 2.0 + user-info API)", () => {
  it("exchanges with PKCE and reads /user and /user/emails for the verified primary email", async () => {
    const start = await startSignIn("github");
    expect(`${start.url.origin}${start.url.pathname}`).toBe("https://github.com/login/oauth/authorize");
    expect(start.url.searchParams.get("scope")).toBe("read:user user:email");
    expect(start.url.searchParams.get("redirect_uri")).toBe(`${ORIGIN}/api/auth/oauth/github/callback`);
    expect(start.url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(start.url.searchParams.get("nonce")).toBeNull();
    const id = uniqueProviderId();
    const email = `octo-${id}@github.example`;
    const seen = intercept({
      "https://github.com/login/oauth/access_token": answer({ access_token: "gho_test", token_type: "bearer", scope: "read:user,user:email" }),
      "https://api.github.com/user": answer({ id, login: `octo${id}`, name: null, email: "public-unverified@example.com" }),
      "https://api.github.com/user/emails": answer([
        { email: "old@example.com", primary: false, verified: true },
        { email, primary: true, verified: true },
      ]),
    });
    const res = await navigate(callbackPath("github", { state: start.state, code: "gh-code" }), { cookie: start.cookie });
    expect(landing(res).params.signedIn).toBe("1");
    const [token, user, emails] = seen;
    expect(token!.url).toBe("https://github.com/login/oauth/access_token");
    expect(token!.headers.authorization).toBe(basic(env.GITHUB_CLIENT_ID!, env.GITHUB_CLIENT_SECRET!));
    expect(token!.headers.accept).toBe("application/json");
    expect(token!.body).toEqual({
      grant_type: "authorization_code",
      code: "gh-code",
      redirect_uri: `${ORIGIN}/api/auth/oauth/github/callback`,
      code_verifier: expect.any(String),
    });
    for (const req of [user!, emails!]) {
      expect(req.method).toBe("GET");
      expect(req.headers.authorization).toBe("Bearer gho_test");
      expect(req.headers.accept).toBe("application/vnd.github+json");
      expect(req.headers["x-github-api-version"]).toBe("2022-11-28");
      expect(req.headers["user-agent"]).toBeTruthy();
    }
    expect([user!.url, emails!.url]).toEqual(["https://api.github.com/user", "https://api.github.com/user/emails"]);
    expect(await meAfter(res)).toMatchObject({ email, emailVerified: true, name: `octo${id}` });
    const identity = await env.DB.prepare("select subject from identities where provider = 'github' and subject = ?").bind(String(id)).first();
    expect(identity).not.toBeNull();
  });

  it("without a verified primary email the account has no email (and claims none)", async () => {
    const start = await startSignIn("github");
    const id = uniqueProviderId();
    intercept({
      "https://github.com/login/oauth/access_token": answer({ access_token: "gho_x", token_type: "bearer" }),
      "https://api.github.com/user": answer({ id, login: "nomail" }),
      "https://api.github.com/user/emails": answer([{ email: "x@example.com", primary: true, verified: false }]),
    });
    const res = await navigate(callbackPath("github", { state: start.state, code: "c" }), { cookie: start.cookie });
    expect(await meAfter(res)).toMatchObject({ email: null, emailVerified: false });
  });
});

describe("Microsoft Entra ID (multi-tenant)", () => {
  it("accepts the user's tenant as issuer and does not trust the unverified email claim", async () => {
    const keys = await providerKeys();
    const start = await startSignIn("microsoft");
    expect(`${start.url.origin}${start.url.pathname}`).toBe("https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
    const tid = crypto.randomUUID();
    const sub = `ms-${uid()}`;
    const idToken = await keys.sign({
      iss: `https://login.microsoftonline.com/${tid}/v2.0`,
      tid,
      aud: env.MICROSOFT_CLIENT_ID,
      sub,
      email: `${sub}@contoso.example`,
      name: "Mo Soft",
      nonce: start.nonce!,
    });
    const seen = intercept({
      "https://login.microsoftonline.com/common/oauth2/v2.0/token": answer({ access_token: "ms-at", id_token: idToken, token_type: "Bearer" }),
      "https://login.microsoftonline.com/common/discovery/v2.0/keys": answer(keys.jwks),
    });
    const res = await navigate(callbackPath("microsoft", { state: start.state, code: "ms-code" }), { cookie: start.cookie });
    expect(landing(res).params.created).toBe("1");
    expect(seen[0]!.headers.authorization).toBe(basic(env.MICROSOFT_CLIENT_ID!, env.MICROSOFT_CLIENT_SECRET!));
    expect(seen[0]!.body).toMatchObject({ grant_type: "authorization_code", code: "ms-code", code_verifier: expect.any(String) });
    expect(await meAfter(res)).toMatchObject({ email: null, emailVerified: false, name: "Mo Soft" });
    const identity = await env.DB.prepare("select email, email_verified from identities where provider = 'microsoft' and subject = ?").bind(sub).first();
    expect(identity).toEqual({ email: `${sub}@contoso.example`, email_verified: 0 });
  });
});

describe("Apple (form_post, client secret JWT)", () => {
  it("finishes on a cross-site POST, signs its client secret, and takes the name from the form", async () => {
    const keys = await providerKeys();
    const start = await startSignIn("apple");
    expect(`${start.url.origin}${start.url.pathname}`).toBe("https://appleid.apple.com/auth/authorize");
    expect(start.url.searchParams.get("response_mode")).toBe("form_post");
    expect(start.url.searchParams.get("scope")).toBe("name email");
    const sub = `000123.${uid()}`;
    const email = `${uid()}@privaterelay.appleid.com`;
    const idToken = await keys.sign({ iss: "https://appleid.apple.com", aud: env.APPLE_CLIENT_ID, sub, email, email_verified: "true", nonce: start.nonce! });
    const seen = intercept({
      "https://appleid.apple.com/auth/token": answer({ access_token: "apple-at", id_token: idToken, token_type: "Bearer" }),
      "https://appleid.apple.com/auth/keys": answer(keys.jwks),
    });
    const res = await navigate("/api/auth/oauth/apple/callback", {
      cookie: start.cookie,
      headers: { origin: "https://appleid.apple.com", "sec-fetch-site": "cross-site" },
      form: { state: start.state, code: "apple-code", user: JSON.stringify({ name: { firstName: "Ada", lastName: "Apple" }, email }) },
    });
    expect(landing(res).params.signedIn).toBe("1");
    const body = seen[0]!.body!;
    expect(body).toMatchObject({
      grant_type: "authorization_code",
      code: "apple-code",
      client_id: env.APPLE_CLIENT_ID,
      redirect_uri: `${ORIGIN}/api/auth/oauth/apple/callback`,
    });
    expect(decodeProtectedHeader(String(body.client_secret))).toMatchObject({ alg: "ES256", kid: env.APPLE_KEY_ID });
    expect(decodeJwt(String(body.client_secret))).toMatchObject({ iss: env.APPLE_TEAM_ID, sub: env.APPLE_CLIENT_ID, aud: ["https://appleid.apple.com"] });
    expect(await meAfter(res)).toMatchObject({ email, emailVerified: true, name: "Ada Apple" });
  });
});

describe("Facebook (Graph API)", () => {
  it("sends the client secret in the body and reads /me; its email is not treated as verified", async () => {
    const start = await startSignIn("facebook");
    expect(`${start.url.origin}${start.url.pathname}`).toBe("https://www.facebook.com/v16.0/dialog/oauth");
    expect(start.url.searchParams.get("scope")).toBe("email public_profile");
    const id = String(uniqueProviderId());
    const seen = intercept({
      "https://graph.facebook.com/v16.0/oauth/access_token": answer({ access_token: "fb-at", token_type: "bearer" }),
      "https://graph.facebook.com/v16.0/me": answer({ id, name: "Fay Book", email: `fay${id}@facebook.example` }),
    });
    const res = await navigate(callbackPath("facebook", { state: start.state, code: "fb-code" }), { cookie: start.cookie });
    expect(landing(res).params.signedIn).toBe("1");
    expect(seen[0]!.body).toEqual({
      grant_type: "authorization_code",
      code: "fb-code",
      redirect_uri: `${ORIGIN}/api/auth/oauth/facebook/callback`,
      client_id: env.FACEBOOK_CLIENT_ID,
      client_secret: env.FACEBOOK_CLIENT_SECRET,
    });
    expect(seen[1]!.url).toBe("https://graph.facebook.com/v16.0/me?fields=id,name,email");
    expect(seen[1]!.headers.authorization).toBe("Bearer fb-at");
    expect(await meAfter(res)).toMatchObject({ email: null, name: "Fay Book" });
  });
});

describe("LinkedIn (OpenID Connect user-info)", () => {
  it("reads /v2/userinfo with the access token", async () => {
    const start = await startSignIn("linkedin");
    expect(`${start.url.origin}${start.url.pathname}`).toBe("https://www.linkedin.com/oauth/v2/authorization");
    const sub = `li-${uid()}`;
    const seen = intercept({
      "https://www.linkedin.com/oauth/v2/accessToken": answer({ access_token: "li-at", expires_in: 3600 }),
      "https://api.linkedin.com/v2/userinfo": answer({ sub, name: "Lin Kedin", email: `${sub}@linkedin.example`, email_verified: true }),
    });
    const res = await navigate(callbackPath("linkedin", { state: start.state, code: "li-code" }), { cookie: start.cookie });
    expect(seen[0]!.body).toEqual({
      grant_type: "authorization_code",
      code: "li-code",
      redirect_uri: `${ORIGIN}/api/auth/oauth/linkedin/callback`,
      client_id: env.LINKEDIN_CLIENT_ID,
      client_secret: env.LINKEDIN_CLIENT_SECRET,
    });
    expect(seen[1]!.headers.authorization).toBe("Bearer li-at");
    expect(await meAfter(res)).toMatchObject({ email: `${sub}@linkedin.example`, emailVerified: true, name: "Lin Kedin" });
  });
});

describe("Auth0 (OIDC on a tenant domain)", () => {
  it("uses the tenant's endpoints, JWKS and issuer", async () => {
    const keys = await providerKeys();
    const domain = env.AUTH0_DOMAIN!;
    const start = await startSignIn("auth0");
    expect(`${start.url.origin}${start.url.pathname}`).toBe(`https://${domain}/authorize`);
    const sub = `auth0|${uid()}`;
    const idToken = await keys.sign({
      iss: `https://${domain}/`,
      aud: env.AUTH0_CLIENT_ID,
      sub,
      email: `${uid()}@auth0.example`,
      email_verified: true,
      nonce: start.nonce!,
    });
    const seen = intercept({
      [`https://${domain}/oauth/token`]: answer({ access_token: "a0-at", id_token: idToken, token_type: "Bearer" }),
      [`https://${domain}/.well-known/jwks.json`]: answer(keys.jwks),
    });
    const before = await counts();
    const res = await navigate(callbackPath("auth0", { state: start.state, code: "a0-code" }), { cookie: start.cookie });
    expect(landing(res).params.created).toBe("1");
    expect(seen[0]!.headers.authorization).toBe(basic(env.AUTH0_CLIENT_ID!, env.AUTH0_CLIENT_SECRET!));
    expect(await counts()).toEqual({ users: before.users + 1, identities: before.identities + 1 });
  });
});
