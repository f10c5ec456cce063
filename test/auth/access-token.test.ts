// Access-token verification: every forgery and misuse is a 401 at /api/me.
// Tokens are minted here with the service's own private key, so each test breaks
// exactly one property (audience, issuer, typ, kid...) and the signature is otherwise good.
import { env } from "cloudflare:test";
import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { issueAccessToken, verifyAccessToken } from "../../src/auth/access-token";
import { clock } from "../../src/clock";
import { call, expectProblem, signUp } from "../helpers";

const ISSUER = "http://127.0.0.1:8787";
let userId: string;
let sessionId: string;
let good: string;
let jwk: JWK & { kid: string; alg: string };
let key: CryptoKey;

beforeAll(async () => {
  const s = await signUp();
  good = s.accessToken;
  userId = s.user.id;
  sessionId = JSON.parse(new TextDecoder().decode(base64url.decode(good.split(".")[1]!))).sid;
  jwk = JSON.parse(env.JWT_PRIVATE_KEYS)[0];
  key = (await importJWK(jwk, jwk.alg)) as CryptoKey;
});

type Overrides = { header?: Record<string, unknown>; claims?: Record<string, unknown>; signWith?: CryptoKey };

async function mint({ header = {}, claims = {}, signWith }: Overrides = {}) {
  const now = Math.floor(clock.now() / 1000);
  return new SignJWT({ sid: sessionId, ...claims })
    .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: "at+jwt", ...header } as never)
    .setIssuer((claims.iss as string) ?? ISSUER)
    .setAudience((claims.aud as string) ?? ISSUER)
    .setSubject(userId)
    .setIssuedAt(now)
    .setExpirationTime(now + 900)
    .setJti(crypto.randomUUID())
    .sign(signWith ?? key);
}

const me = (token: string) => call("/api/me", { token });
const expectRefused = async (token: string) => {
  const res = await me(token);
  expect(res.status).toBe(401);
  expect(["invalid_token", "token_expired", "unauthorized"]).toContain(res.body.code);
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="api"/);
  return res;
};

const b64 = (value: unknown) => base64url.encode(typeof value === "string" ? value : JSON.stringify(value));

describe("access tokens", () => {
  it("a token minted by the test the same way as the service is accepted (control)", async () => {
    expect((await me(good)).status).toBe(200);
    expect((await me(await mint())).status).toBe(200);
  });

  it("header: EdDSA/ES256 JWT with kid, typ at+jwt; claims iss aud sub sid iat exp jti amr auth_time", async () => {
    const [h, p] = good
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(new TextDecoder().decode(base64url.decode(part))));
    expect(h).toEqual({ alg: jwk.alg, kid: jwk.kid, typ: "at+jwt" });
    expect(Object.keys(p).sort()).toEqual(["amr", "aud", "auth_time", "exp", "iat", "iss", "jti", "sid", "sub"]);
    expect(p.exp - p.iat).toBe(900);
  });

  it("tampered payload: 401", async () => {
    const [h, p, s] = good.split(".") as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
    const forged = `${h}.${b64({ ...claims, sub: "someone-else" })}.${s}`;
    expectProblem(await expectRefused(forged), 401, "invalid_token");
  });

  it("tampered signature: 401", async () => {
    const [h, p, s] = good.split(".") as [string, string, string];
    const flipped = s.slice(0, 10) + (s[10] === "A" ? "B" : "A") + s.slice(11);
    expectProblem(await expectRefused(`${h}.${p}.${flipped}`), 401, "invalid_token");
    expectProblem(await expectRefused(`${h}.${p}.${s.split("").reverse().join("")}`), 401, "invalid_token");
  });

  it("alg: none (with and without a signature segment): 401", async () => {
    const [, p] = good.split(".") as [string, string];
    for (const alg of ["none", "None", "NONE"]) {
      const h = b64({ alg, typ: "at+jwt", kid: jwk.kid });
      await expectRefused(`${h}.${p}.`);
      await expectRefused(`${h}.${p}.${b64("sig")}`);
    }
  });

  it("algorithm confusion: HS256 keyed with the public key: 401", async () => {
    const { d: _d, ...pub } = jwk;
    const secret = new TextEncoder().encode(JSON.stringify(pub));
    const now = Math.floor(clock.now() / 1000);
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: "HS256", kid: jwk.kid, typ: "at+jwt" })
      .setIssuer(ISSUER)
      .setAudience(ISSUER)
      .setSubject(userId)
      .setIssuedAt(now)
      .setExpirationTime(now + 900)
      .setJti("x")
      .sign(secret);
    expectProblem(await expectRefused(token), 401, "invalid_token");
  });

  it("wrong audience, wrong issuer, wrong or missing typ: 401", async () => {
    await expectRefused(await mint({ claims: { aud: "https://other.example" } }));
    await expectRefused(await mint({ claims: { iss: "https://evil.example" } }));
    await expectRefused(await mint({ header: { typ: "JWT" } }));
    await expectRefused(await mint({ header: { typ: undefined } }));
  });

  it("unknown kid, missing kid, or a key we never published: 401", async () => {
    await expectRefused(await mint({ header: { kid: "not-ours" } }));
    await expectRefused(await mint({ header: { kid: undefined } }));
    const { privateKey } = await generateKeyPair(jwk.alg, { extractable: true });
    await expectRefused(await mint({ signWith: privateKey as CryptoKey }));
    // A key embedded in the header is never trusted.
    const attacker = await generateKeyPair(jwk.alg, { extractable: true });
    const embedded = await exportJWK(attacker.publicKey);
    await expectRefused(await mint({ header: { jwk: embedded, kid: undefined }, signWith: attacker.privateKey as CryptoKey }));
  });

  it("missing sid or sub: 401", async () => {
    const now = Math.floor(clock.now() / 1000);
    const noSid = await new SignJWT({})
      .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: "at+jwt" })
      .setIssuer(ISSUER)
      .setAudience(ISSUER)
      .setSubject(userId)
      .setIssuedAt(now)
      .setExpirationTime(now + 900)
      .setJti("j")
      .sign(key);
    await expectRefused(noSid);
  });

  it("expired: 401 token_expired; not before its exp", async () => {
    const token = (await issueAccessToken(env, userId, sessionId)).token;
    expect((await verifyAccessToken(env, token)).ok).toBe(true);
    clock.advance(900_000 + 6000);
    expectProblem(await expectRefused(token), 401, "token_expired");
    expect(await verifyAccessToken(env, token)).toEqual({ ok: false, reason: "expired" });
  });

  it("non-compact forms and junk: 401", async () => {
    const [h, p, s] = good.split(".") as [string, string, string];
    const forms = [
      `${h}.${p}`,
      `${h}.${p}.${s}.extra`,
      `${h}..${s}`,
      `${h}.${p}.${s}=`,
      `${h}.${p}.${s.replace(/-/g, "+")}+`,
      JSON.stringify({ protected: h, payload: p, signature: s }),
      `${h}.${p}.${s}.${s}.${s}`, // JWE-shaped
      "x".repeat(5000),
      "a.b.c",
    ];
    for (const form of forms) await expectRefused(form);
  });

  it("a refresh token is not an access token: 401", async () => {
    const { cookie } = await signUp();
    await expectRefused(cookie.split("=")[1]!);
  });

  it("no Authorization, another scheme, or an empty bearer: 401 unauthorized", async () => {
    expectProblem(await call("/api/me"), 401, "unauthorized");
    expectProblem(await call("/api/me", { headers: { authorization: `Basic ${btoa("a:b")}` } }), 401, "unauthorized");
    expectProblem(await call("/api/me", { headers: { authorization: "Bearer " } }), 401, "unauthorized");
    expectProblem(await call("/api/me", { headers: { authorization: `Bearer ${good} ${good}` } }), 401, "unauthorized");
  });
});
