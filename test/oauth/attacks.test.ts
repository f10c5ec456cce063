// Attacks on the social sign-in: each is refused with a clear page (never a 500) and
// creates nothing. Google stands in for the OIDC providers (fetch intercepted).
import { env } from "cloudflare:test";
import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, expectProblem, legacyUnverifiedUser, signUp, waitForMessages } from "../helpers";
import {
  BINDING_COOKIE,
  callbackPath,
  counts,
  expectErrorPage,
  googleAnswers,
  landing,
  lastFailureReason,
  navigate,
  providerKeys,
  startSignIn,
} from "./helpers";
import { answer, intercept } from "../http-intercept";

const uid = () => crypto.randomUUID().slice(0, 8);

const googleClaims = (nonce: string, extra: Record<string, unknown> = {}) => ({
  iss: "https://accounts.google.com",
  aud: env.GOOGLE_CLIENT_ID,
  sub: `g-${uid()}`,
  email: `${uid()}@gmail.example`,
  email_verified: true,
  nonce,
  ...extra,
});

describe("state and browser binding", () => {
  it("refuses a missing state, an unknown state, a missing cookie and another browser's cookie", async () => {
    const before = await counts();
    const start = await startSignIn("google");
    const other = await startSignIn("google"); // a second browser (fresh cookie)
    const cases: [Record<string, string>, string | undefined, string][] = [
      [{ code: "c" }, start.cookie, "state_missing"],
      [{ state: "A".repeat(43), code: "c" }, start.cookie, "state_unknown"],
      [{ state: start.state, code: "c" }, undefined, "binding_cookie_missing"],
      [{ state: start.state, code: "c" }, other.cookie.replace(/=.*/, `=${"B".repeat(43)}`), "binding_mismatch"],
      [{ state: "<script>alert(1)</script>", code: "c" }, start.cookie, "state_missing"],
    ];
    const seen = intercept({ "https://oauth2.googleapis.com/token": answer({}, 500) });
    for (const [params, cookie, reason] of cases) {
      expectErrorPage(await navigate(callbackPath("google", params), { cookie }), "oauth_state_invalid");
      expect(await lastFailureReason()).toBe(reason);
    }
    // A state is bound to its provider too.
    expectErrorPage(await navigate(callbackPath("github", { state: start.state, code: "c" }), { cookie: start.cookie }), "oauth_state_invalid");
    expect(seen).toHaveLength(0);
    expect(await counts()).toEqual(before);
  });

  it("a state works once: 20 parallel callbacks, exactly one signs in and one code exchange happens", async () => {
    const start = await startSignIn("google");
    const keys = await providerKeys();
    const token = await keys.sign(googleClaims(start.nonce!));
    const seen = googleAnswers(token, keys);
    const before = await counts();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => navigate(callbackPath("google", { state: start.state, code: "once" }), { cookie: start.cookie })),
    );
    const pages = results.map((r) => landing(r));
    expect(pages.filter((p) => p.path === "/oauth/done" && p.params.signedIn === "1")).toHaveLength(1);
    expect(pages.filter((p) => p.path === "/oauth/error" && p.params.code === "oauth_state_invalid")).toHaveLength(19);
    expect(seen.filter((s) => s.url === "https://oauth2.googleapis.com/token")).toHaveLength(1);
    expect(await counts()).toEqual({ users: before.users + 1, identities: before.identities + 1 });
  });

  it("a used state is refused the second time, after a successful sign-in", async () => {
    const start = await startSignIn("google");
    const keys = await providerKeys();
    const token = await keys.sign(googleClaims(start.nonce!));
    googleAnswers(token, keys);
    const stored = await Promise.all((await env.KV.list({ prefix: "oauth-state:" })).keys.map(async (k) => [k.name, await env.KV.get(k.name)] as const));
    expect(landing(await navigate(callbackPath("google", { state: start.state, code: "c" }), { cookie: start.cookie })).path).toBe("/oauth/done");
    const before = await counts();
    expectErrorPage(await navigate(callbackPath("google", { state: start.state, code: "c" }), { cookie: start.cookie }), "oauth_state_invalid");
    expect(await lastFailureReason()).toBe("state_unknown");
    // KV is eventually consistent: another location may still serve the deleted record.
    // Put it back to play that replica; the Durable Object fence still refuses it.
    for (const [name, value] of stored) if (value) await env.KV.put(name, value, { expirationTtl: 600 });
    expectErrorPage(await navigate(callbackPath("google", { state: start.state, code: "c" }), { cookie: start.cookie }), "oauth_state_invalid");
    expect(await lastFailureReason()).toBe("state_reused");
    expect(await counts()).toEqual(before);
  });

  it("an expired transaction is refused", async () => {
    const start = await startSignIn("google");
    clock.advance(11 * 60 * 1000);
    expectErrorPage(await navigate(callbackPath("google", { state: start.state, code: "c" }), { cookie: start.cookie }), "oauth_state_invalid");
    expect(await lastFailureReason()).toBe("state_expired");
  });

  it("every transaction gets a fresh binding value, never the one the browser sent (cookie fixation)", async () => {
    // A binding an attacker planted in the victim's browser (cookie tossing from a sibling
    // subdomain), in the valid shape, so only "reuse" could make it count.
    const planted = `${BINDING_COOKIE}=${"A".repeat(43)}`;
    const start = await startSignIn("google", "/", planted);
    expect(start.cookie).not.toBe(planted);
    expect(start.cookie).toMatch(new RegExp(`^${BINDING_COOKIE}=[A-Za-z0-9_-]{43}$`));
    // The planted value does not open the transaction; the fresh one would.
    expectErrorPage(await navigate(callbackPath("google", { state: start.state, code: "c" }), { cookie: planted }), "oauth_state_invalid");
    expect(await lastFailureReason()).toBe("binding_mismatch");
    // Two starts in one browser: two values (the latest start wins; an older tab starts again).
    const again = await startSignIn("google", "/", start.cookie);
    expect(again.cookie).not.toBe(start.cookie);
    expectErrorPage(await navigate(callbackPath("google", { state: again.state, error: "access_denied" }), { cookie: again.cookie }), "oauth_denied");
  });
});

describe("id_token checks (Google)", () => {
  const cases: [string, (nonce: string, keys: Awaited<ReturnType<typeof providerKeys>>) => Promise<string>, RegExp][] = [
    ["a wrong nonce", (_n, k) => k.sign(googleClaims("another-transactions-nonce")), /^id_token:nonce$/],
    ["no nonce", (_n, k) => k.sign(googleClaims("", { nonce: undefined })), /^id_token:nonce$/],
    ["a wrong audience", (n, k) => k.sign(googleClaims(n, { aud: "someone-elses-client" })), /^id_token:ERR_JWT_CLAIM_VALIDATION_FAILED$/],
    ["a wrong issuer", (n, k) => k.sign(googleClaims(n, { iss: "https://accounts.google.com.evil.example" })), /^id_token:iss$/],
    ["an expired token", (n, k) => k.sign(googleClaims(n), { expiresIn: -3600 }), /^id_token:ERR_JWT_EXPIRED$/],
    [
      "a signature from another key with the same kid",
      async (n, k) => (await providerKeys()).sign(googleClaims(n), { kid: k.kid }),
      /^id_token:ERR_JWS_SIGNATURE_VERIFICATION_FAILED$/,
    ],
    ["alg none", async (n) => new UnsecuredJWT(googleClaims(n)).setIssuedAt().setExpirationTime("1h").encode(), /^id_token:ERR_JOSE_ALG_NOT_ALLOWED$/],
    [
      "HS256 keyed with the client secret",
      async (n) =>
        new SignJWT(googleClaims(n))
          .setProtectedHeader({ alg: "HS256" })
          .setIssuedAt()
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode(env.GOOGLE_CLIENT_SECRET)),
      /^id_token:ERR_JOSE_ALG_NOT_ALLOWED$/,
    ],
    ["several audiences without us as azp", (n, k) => k.sign(googleClaims(n, { aud: [env.GOOGLE_CLIENT_ID, "other"], azp: "other" })), /^id_token:azp$/],
  ];
  for (const [name, makeToken, reason] of cases) {
    it(`refuses ${name}; nothing is created`, async () => {
      const start = await startSignIn("google");
      const keys = await providerKeys();
      const token = await makeToken(start.nonce!, keys);
      googleAnswers(token, keys);
      const before = await counts();
      expectErrorPage(await navigate(callbackPath("google", { state: start.state, code: "c" }), { cookie: start.cookie }), "oauth_failed");
      expect(await lastFailureReason()).toMatch(reason);
      expect(await counts()).toEqual(before);
    });
  }

  it("a provider error, a failing token endpoint or a missing id_token lands on the error page, never a 500", async () => {
    const before = await counts();
    let start = await startSignIn("google");
    expectErrorPage(await navigate(callbackPath("google", { state: start.state, error: "access_denied" }), { cookie: start.cookie }), "oauth_denied");
    start = await startSignIn("google");
    intercept({ "https://oauth2.googleapis.com/token": () => new Response("boom", { status: 500 }) });
    expectErrorPage(await navigate(callbackPath("google", { state: start.state, code: "c" }), { cookie: start.cookie }), "oauth_failed");
    start = await startSignIn("google");
    intercept({ "https://oauth2.googleapis.com/token": answer({ access_token: "at", token_type: "Bearer" }) });
    expectErrorPage(await navigate(callbackPath("google", { state: start.state, code: "c" }), { cookie: start.cookie }), "oauth_failed");
    expect(await lastFailureReason()).toBe("id_token_missing");
    expectErrorPage(await navigate(callbackPath("nope", { state: "x", code: "c" })), "provider_not_configured");
    expect(await counts()).toEqual(before);
  });
});

describe("returnTo (no open redirect)", () => {
  const evil = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/%2F%2Fevil.example",
    "/%2fevil.example/../x",
    "/%5Cevil.example",
    "/%252F%252Fevil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    " /x",
    // Dot segments the URL parser resolves into a scheme-relative "//evil.example".
    "/.//evil.example",
    "/a/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/x/%2e%2e/%2e%2e//evil.example",
    "/.%2f/evil.example",
    "/.%5Cevil.example",
    "/./\\evil.example",
    "/%2e%2e/%2fevil.example",
    "JavaScript:alert(1)",
    "/%E2%80%AEelpmaxe.live//",
    "http:evil.example",
    `/${"a".repeat(600)}`,
  ];
  for (const returnTo of evil) {
    it(`refuses ${JSON.stringify(returnTo.slice(0, 40))} before anything is stored`, async () => {
      const before = (await env.KV.list({ prefix: "oauth-state:" })).keys.length;
      const res = await call(`/api/auth/oauth/google?returnTo=${encodeURIComponent(returnTo)}`);
      expectProblem(res, 400, "validation_failed");
      expect(res.headers.get("location")).toBeNull();
      expect(res.headers.get("set-cookie")).toBeNull();
      expect((await env.KV.list({ prefix: "oauth-state:" })).keys.length).toBe(before);
    });
  }

  it("keeps a same-origin path with its query and fragment", async () => {
    const start = await startSignIn("github", "/app/settings?tab=a%20b#linked");
    const tx = await env.KV.list({ prefix: "oauth-state:" });
    const stored = await Promise.all(tx.keys.map((k) => env.KV.get<{ returnTo: string }>(k.name, "json")));
    expect(stored.map((s) => s?.returnTo)).toContain("/app/settings?tab=a%20b#linked");
    expect(start.cookie.startsWith(`${BINDING_COOKIE}=`)).toBe(true);
  });

  it("stores the normalised path when dot segments resolve to a same-origin path", async () => {
    await startSignIn("github", "/a/./b/../c?x=1");
    const tx = await env.KV.list({ prefix: "oauth-state:" });
    const stored = await Promise.all(tx.keys.map((k) => env.KV.get<{ returnTo: string }>(k.name, "json")));
    expect(stored.map((s) => s?.returnTo)).toContain("/a/c?x=1");
  });

  it("answers an unknown provider with 404", async () => {
    expectProblem(await call("/api/auth/oauth/myspace"), 404, "provider_not_configured");
    expectProblem(await call("/api/auth/oauth/%3Cscript%3E"), 404, "provider_not_configured");
  });
});

describe("linking by email", () => {
  async function googleSignIn(claims: Record<string, unknown>) {
    const start = await startSignIn("google");
    const keys = await providerKeys();
    const token = await keys.sign({ ...googleClaims(start.nonce!), ...claims });
    googleAnswers(token, keys);
    return navigate(callbackPath("google", { state: start.state, code: "c" }), { cookie: start.cookie });
  }

  it("refuses an UNVERIFIED provider email that matches an existing account; nothing is created", async () => {
    const account = await signUp();
    const before = await counts();
    expectErrorPage(await googleSignIn({ email: account.email, email_verified: false }), "account_exists");
    expect(await counts()).toEqual(before);
  });

  it("refuses a verified provider email when the existing account never verified it", async () => {
    const email = `unverified-${uid()}@example.com`;
    await legacyUnverifiedUser(email);
    const before = await counts();
    expectErrorPage(await googleSignIn({ email, email_verified: true }), "account_exists");
    expect(await counts()).toEqual(before);
  });

  it("links when BOTH sides verified the email: the same user signs in", async () => {
    const account = await signUp();
    const before = await counts();
    const res = await googleSignIn({ email: account.email.toUpperCase(), email_verified: true });
    expect(landing(res).params).toEqual({ returnTo: "/account", signedIn: "1" });
    expect(await counts()).toEqual({ users: before.users, identities: before.identities + 1 });
    const row = await env.DB.prepare("select user_id from identities where provider = 'google' and email = ?").bind(account.email).first<{ user_id: string }>();
    expect(row!.user_id).toBe(account.user.id);
    // A new way into the account: its owner hears of it (after the verification email).
    const [notice] = await waitForMessages(account.email, 2);
    expect(notice!.subject).toBe("Google was linked to your Edge Auth account");
  });
});

describe("odd callback input", () => {
  it("odd Unicode, injection strings and huge values land on the error page; nothing is created", async () => {
    const before = await counts();
    const start = await startSignIn("google");
    intercept({ "https://oauth2.googleapis.com/token": answer({ error: "invalid_grant" }, 400) });
    const odd = ["ｓｔａｔｅ", "'; drop table users; --", "%00", "\u202e", "a".repeat(5000)];
    for (const state of odd) expectErrorPage(await navigate(callbackPath("google", { state, code: "c" }), { cookie: start.cookie }), "oauth_state_invalid");
    expectErrorPage(await navigate(callbackPath("google", { state: start.state, code: "x".repeat(3000) }), { cookie: start.cookie }), "oauth_failed");
    expect(await lastFailureReason()).toBe("code_missing");
    const post = await navigate("/api/auth/oauth/google/callback", { cookie: start.cookie, form: { state: "<svg onload=alert(1)>", code: "c" } });
    expectErrorPage(post, "oauth_state_invalid");
    expect(await counts()).toEqual(before);
  });
});

describe("rate limit", () => {
  it("admits exactly the start budget (10 per minute per IP) out of a 4x parallel burst", async () => {
    const ip = "192.0.2.77"; // used by no other test
    const results = await Promise.all(Array.from({ length: 40 }, () => navigate("/api/auth/oauth/github", { headers: { "cf-connecting-ip": ip } })));
    expect(results.filter((r) => r.status === 302)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(30);
  });

  it("admits exactly the callback budget (10 per minute per IP) out of a 4x parallel burst", async () => {
    const ip = "198.51.100.77"; // used by no other test
    const results = await Promise.all(
      Array.from({ length: 40 }, () => navigate(callbackPath("google", { state: "A".repeat(43), code: "c" }), { headers: { "cf-connecting-ip": ip } })),
    );
    const codes = results.map((r) => landing(r).params.code);
    expect(codes.filter((c) => c === "oauth_state_invalid")).toHaveLength(10);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(30);
  });
});
