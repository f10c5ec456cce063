// Helpers for the social sign-in tests: browser-like navigation through SELF without
// following redirects, cookies, and identity-provider keys (the provider HTTP itself goes
// through test/http-intercept.ts).
import { env, SELF } from "cloudflare:test";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { expect } from "vitest";
import { ORIGIN, randomIp } from "../helpers";
import { answer, intercept } from "../http-intercept";

export type Nav = { status: number; headers: Headers; location: URL | null; text: string };

/** A navigation (GET, or POST form for Apple) that does not follow redirects. */
export async function navigate(path: string, options: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Nav> {
  const headers: Record<string, string> = { "cf-connecting-ip": randomIp(), "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  }
  const res = await SELF.fetch(`${ORIGIN}${path}`, { method: options.form ? "POST" : "GET", headers, body, redirect: "manual" });
  const location = res.headers.get("location");
  return { status: res.status, headers: res.headers, location: location ? new URL(location, ORIGIN) : null, text: await res.text() };
}

export function cookieFrom(headers: Headers, name: string): string | null {
  const set = headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return set ? set.split(";")[0]! : null;
}

export const BINDING_COOKIE = "__Host-edge-oauth";
export const REFRESH_COOKIE = "__Host-edge-refresh";

/** GET /api/auth/oauth/:provider: returns the provider URL, its state/nonce and the binding cookie. */
export async function startSignIn(provider: string, returnTo = "/account", cookie?: string) {
  const res = await navigate(`/api/auth/oauth/${provider}?returnTo=${encodeURIComponent(returnTo)}`, { cookie });
  expect(res.status).toBe(302);
  const url = res.location!;
  const binding = cookieFrom(res.headers, BINDING_COOKIE) ?? cookie;
  expect(binding).toBeTruthy();
  return {
    url,
    state: url.searchParams.get("state")!,
    nonce: url.searchParams.get("nonce"),
    verifierChallenge: url.searchParams.get("code_challenge"),
    cookie: binding!,
  };
}

export function callbackPath(provider: string, params: Record<string, string>) {
  return `/api/auth/oauth/${provider}/callback?${new URLSearchParams(params)}`;
}

/** The SPA page a callback landed on. */
export function landing(res: Nav) {
  expect(res.status).toBe(303);
  expect(res.location!.origin).toBe(ORIGIN);
  return { path: res.location!.pathname, params: Object.fromEntries(res.location!.searchParams) };
}

export function expectErrorPage(res: Nav, code: string) {
  const page = landing(res);
  expect(page.path).toBe("/oauth/error");
  expect(page.params.code).toBe(code);
  expect(cookieFrom(res.headers, REFRESH_COOKIE)).toBeNull();
}

export async function counts() {
  const users = await env.DB.prepare("select count(*) as n from users").first<{ n: number }>();
  const identities = await env.DB.prepare("select count(*) as n from identities").first<{ n: number }>();
  return { users: users!.n, identities: identities!.n };
}

export async function lastFailureReason(): Promise<string | null> {
  const row = await env.DB.prepare("select reason from audit_events where type = 'sign_in.failure' order by rowid desc limit 1").first<{ reason: string }>();
  return row?.reason ?? null;
}

let kidCounter = 0;
/** An RS256 key pair whose public half is served as the provider's JWKS. */
export async function providerKeys() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `test-${Date.now()}-${kidCounter++}`;
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] };
  const sign = (claims: JWTPayload, options: { key?: CryptoKey; kid?: string; expiresIn?: number } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: options.kid ?? kid, typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresIn ?? 3600))
      .sign(options.key ?? privateKey);
  return { jwks, kid, sign };
}

// Provider-side user ids, unique within a test file (a counter from a random start), so
// two tests never share a provider account by chance.
let nextProviderId = Math.floor(Math.random() * 1e9) * 1000;
export const uniqueProviderId = () => nextProviderId++;

/** GitHub's side of a sign-in as account `id`, with `email` as its verified primary (or none). */
export const githubAs = (id: number, email?: string) =>
  intercept({
    "https://github.com/login/oauth/access_token": answer({ access_token: `gho_${id}`, token_type: "bearer" }),
    "https://api.github.com/user": answer({ id, login: `user${id}` }),
    "https://api.github.com/user/emails": answer(email ? [{ email, primary: true, verified: true }] : []),
  });

/** Google's side of a code exchange: the token endpoint returns `idToken`, signed by `keys`. */
export const googleAnswers = (idToken: string, keys: { jwks: unknown }) =>
  intercept({
    "https://oauth2.googleapis.com/token": answer({ access_token: "at", id_token: idToken, token_type: "Bearer" }),
    "https://www.googleapis.com/oauth2/v3/certs": answer(keys.jwks),
  });
