// Every AuthService method called the way another Worker calls it: the test talks to an
// auxiliary Worker (test/fixtures/other-worker.js), which reaches this Worker only through
// its own service binding AUTH -> entrypoint "AuthService".
import { env } from "cloudflare:test";
import { generateKeyPair, importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { listAuditEvents } from "../../src/storage/audit";
import { rpc } from "./other-worker";
import { call, expectProblem, ORIGIN, refreshCookieFrom, signUp, STRONG_PASSWORD } from "../helpers";

function claimsOf(token: string) {
  return JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { sub: string; sid: string };
}

async function signWithServiceKey(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const jwk = JSON.parse(env.JWT_PRIVATE_KEYS)[0];
  const key = await importJWK(jwk, jwk.alg);
  const now = Math.floor(clock.now() / 1000);
  const payload = { iss: ORIGIN, aud: ORIGIN, sub: "u".repeat(22), sid: "s".repeat(22), iat: now, exp: now + 600, jti: crypto.randomUUID(), ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: "at+jwt", ...header }).sign(key);
}

/** The base64url segment with one bit of its first byte flipped: always a different value. */
function flipBit(segment: string): string {
  const bytes = Uint8Array.from(atob(segment.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
  bytes[0]! ^= 0x01;
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const BAD_IDS = [123, null, {}, [], "", "../x", "' OR 1=1 --", "ü".repeat(30), "a".repeat(65), "\u0000abc"];

describe("AuthService over a service binding", () => {
  it("verifies a fresh access token and returns its claims", async () => {
    const { accessToken, user } = await signUp();
    const { sub, sid } = claimsOf(accessToken);
    const result = await rpc("verifyAccessToken", accessToken);
    expect(result).toEqual({
      ok: true,
      claims: {
        iss: ORIGIN,
        aud: ORIGIN,
        sub: user.id,
        sid,
        jti: expect.any(String),
        iat: expect.any(Number),
        exp: expect.any(Number),
        amr: ["otp"],
        auth_time: expect.any(Number),
      },
    });
    if (!result.ok) throw new Error(result.reason);
    // The sign-in (email verification by code) is when the user last proved who they are.
    expect(result.claims.auth_time).toBeLessThanOrEqual(result.claims.iat);
    expect(result.claims.exp - result.claims.iat).toBe(900);
    expect(sub).toBe(user.id);
    expect(await rpc("verifyAccessToken", accessToken, { checkRevocation: false })).toEqual(result);
  });

  it("serves a protected route in the other Worker", async () => {
    const { accessToken, email } = await signUp();
    const ok = await env.OTHER.fetch("http://other/whoami", { headers: { authorization: `Bearer ${accessToken}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ claims: { sub: expect.any(String) }, user: { email, emailVerified: true, name: "Test User" } });
    const refused = await env.OTHER.fetch("http://other/whoami", { headers: { authorization: "Bearer nope" } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: "invalid" });
  });

  it("calls a token invalid when it is malformed, forged, or fails any claim check", async () => {
    const { accessToken } = await signUp();
    const [h, p, s] = accessToken.split(".") as [string, string, string];
    const forgedKey = (await generateKeyPair("EdDSA", { extractable: true })).privateKey;
    const jwk = JSON.parse(env.JWT_PRIVATE_KEYS)[0];
    const foreign = await new SignJWT({ sid: "s".repeat(22) })
      .setProtectedHeader({ alg: "EdDSA", kid: jwk.kid, typ: "at+jwt" })
      .setIssuer(ORIGIN)
      .setAudience(ORIGIN)
      .setSubject("u".repeat(22))
      .setIssuedAt()
      .setExpirationTime("10m")
      .setJti("j")
      .sign(forgedKey);
    const none = `${btoa(JSON.stringify({ alg: "none", typ: "at+jwt", kid: jwk.kid })).replace(/=+$/, "")}.${p}.`;
    const candidates: unknown[] = [
      "",
      "nope",
      42,
      null,
      { token: accessToken },
      [accessToken],
      `${h}.${p}.${flipBit(s)}`, // bad signature: one bit of it flipped, so certainly not the right one
      `${h}.${btoa(JSON.stringify({ ...claimsOf(accessToken), sub: "someone-else" })).replace(/=+$/, "")}.${s}`, // tampered payload
      `${accessToken}.extra`,
      none,
      foreign,
      await signWithServiceKey({}, { kid: "unknown-kid" }),
      await signWithServiceKey({}, { typ: "JWT" }),
      await signWithServiceKey({ iss: "https://evil.example" }),
      await signWithServiceKey({ aud: "https://other-audience.example" }),
      await signWithServiceKey({ sid: undefined }),
      "x".repeat(5000),
    ];
    for (const [i, token] of candidates.entries()) expect(await rpc("verifyAccessToken", token), `candidate ${i}`).toEqual({ ok: false, reason: "invalid" });
  });

  it("calls a token expired once its lifetime has passed", async () => {
    const { accessToken } = await signUp();
    clock.advance(900_000 + 6_000);
    expect(await rpc("verifyAccessToken", accessToken)).toEqual({ ok: false, reason: "expired" });
    expect(await rpc("verifyAccessToken", accessToken, { checkRevocation: false })).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a revoked session's token before it expires; signature-only checks cannot", async () => {
    const { accessToken, cookie } = await signUp();
    const { sub, sid } = claimsOf(accessToken);
    expect(await rpc("getSession", sub, sid)).toMatchObject({ id: sid, userId: sub, method: expect.any(String) });

    expect(await rpc("revokeSession", sub, sid)).toBe(true);
    expect(await rpc("verifyAccessToken", accessToken)).toEqual({ ok: false, reason: "revoked" });
    // The documented window: without the fence check the token is accepted until exp.
    expect(await rpc("verifyAccessToken", accessToken, { checkRevocation: false })).toMatchObject({ ok: true });
    expect(await rpc("getSession", sub, sid)).toBeNull();
    expect(await rpc("revokeSession", sub, sid)).toBe(false);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie }), 401, "session_ended");

    const { events } = await listAuditEvents(env, sub, undefined);
    expect(events.filter((e) => e.type === "session.revoked")).toEqual([expect.objectContaining({ sessionId: sid, reason: "service_binding" })]);
  });

  it('checkRevocation "edge": reads the state the SessionFence publishes to KV, and asks the fence when KV has none', async () => {
    const { accessToken } = await signUp();
    const { sub, sid } = claimsOf(accessToken);
    const key = `session:${sub}:${sid}`;
    const edge = { checkRevocation: "edge" };
    // Published at sign-in: live, until the session's absolute expiry.
    expect(await env.KV.get(key, "json")).toEqual({ live: true, expiresAt: expect.any(Number) });
    expect((await rpc("verifyAccessToken", accessToken, edge)).ok).toBe(true);

    expect(await rpc("revokeSession", sub, sid)).toBe(true);
    expect(await env.KV.get(key, "json")).toMatchObject({ live: false });
    expect(await rpc("verifyAccessToken", accessToken, edge)).toEqual({ ok: false, reason: "revoked" });

    // No entry (a session from before the read model, or KV not yet propagated): the fence decides.
    await env.KV.delete(key);
    expect(await rpc("verifyAccessToken", accessToken, edge)).toEqual({ ok: false, reason: "revoked" });
    // What "edge" trades away: a stale entry is believed until KV catches up; the default check is not fooled.
    await env.KV.put(key, JSON.stringify({ live: true, expiresAt: clock.now() + 60_000 }));
    expect((await rpc("verifyAccessToken", accessToken, edge)).ok).toBe(true);
    expect(await rpc("verifyAccessToken", accessToken)).toEqual({ ok: false, reason: "revoked" });
  });

  it('checkRevocation "edge": sign-out, reuse of a rotated refresh token and "sign out everywhere" all publish "ended"', async () => {
    const { accessToken, cookie } = await signUp();
    const { sub, sid } = claimsOf(accessToken);
    const state = () => env.KV.get<{ live: boolean }>(`session:${sub}:${sid}`, "json");
    const refreshed = await call("/api/auth/refresh", { method: "POST", cookie });
    expect(refreshed.status).toBe(200);
    expect((await state())?.live).toBe(true);
    // Replaying the rotated-away token ends the session (reuse detection).
    expect((await call("/api/auth/refresh", { method: "POST", cookie })).status).toBe(401);
    expect((await state())?.live).toBe(false);
    expect(await rpc("verifyAccessToken", refreshed.body.accessToken, { checkRevocation: "edge" })).toEqual({ ok: false, reason: "revoked" });

    const other = claimsOf((await signUp()).accessToken);
    expect(await rpc("revokeAllSessions", other.sub)).toEqual([other.sid]);
    expect(await env.KV.get(`session:${other.sub}:${other.sid}`, "json")).toMatchObject({ live: false });
  });

  it("revokes a session exactly once under 20 parallel calls", async () => {
    const { accessToken } = await signUp();
    const { sub, sid } = claimsOf(accessToken);
    const results = await Promise.all(Array.from({ length: 20 }, () => rpc("revokeSession", sub, sid)));
    expect(results.filter((r) => r === true)).toHaveLength(1);
  });

  it("returns the public profile, and null for unknown users and bad input", async () => {
    const { user, accessToken } = await signUp();
    const me = await call("/api/me", { token: accessToken });
    // The RPC contract (src/verifier/contract.ts PublicUser) is the core of /api/me, without the editable profile.
    const { id, email, emailVerified, name, createdAt } = me.body;
    expect(await rpc("getUser", user.id)).toEqual({ id, email, emailVerified, name, createdAt });
    expect(await rpc("getUser", "A".repeat(22))).toBeNull();
    for (const bad of BAD_IDS) expect(await rpc("getUser", bad)).toBeNull();
  });

  it("describes a live session, and returns null for another user's or unknown session ids", async () => {
    const a = await signUp();
    const b = await signUp();
    const { sub, sid } = claimsOf(a.accessToken);
    const session = await rpc("getSession", sub, sid);
    expect(session).toEqual({
      id: sid,
      userId: sub,
      method: expect.any(String),
      device: expect.any(String),
      userAgent: expect.stringContaining("Firefox"),
      ip: expect.stringMatching(/^10\./),
      country: null,
      city: null,
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      expiresAt: expect.any(String),
      amr: ["otp"],
      authenticatedAt: session!.createdAt,
    });
    expect(Date.parse(session!.expiresAt) - Date.parse(session!.createdAt)).toBe(604_800_000);
    expect(JSON.stringify(session)).not.toMatch(/tokenHash|rotated/);
    expect(await rpc("getSession", claimsOf(b.accessToken).sub, sid)).toBeNull();
    expect(await rpc("getSession", sub, "Z".repeat(22))).toBeNull();
    for (const bad of BAD_IDS) {
      expect(await rpc("getSession", bad, sid)).toBeNull();
      expect(await rpc("getSession", sub, bad)).toBeNull();
      expect(await rpc("revokeSession", bad, sid)).toBe(false);
      expect(await rpc("revokeSession", sub, bad)).toBe(false);
    }
    expect(await rpc("getSession", sub, sid)).not.toBeNull(); // none of that touched it
  });

  it("revokes every session of a user and leaves other users alone", async () => {
    const a = await signUp();
    const login = await call("/api/auth/login", { json: { email: a.email, password: STRONG_PASSWORD } });
    expect(login.status).toBe(200);
    const other = await signUp();
    const { sub } = claimsOf(a.accessToken);

    const ended: string[] = await rpc("revokeAllSessions", sub);
    expect(ended.sort()).toEqual([claimsOf(a.accessToken).sid, claimsOf(login.body.accessToken).sid].sort());
    expect(await rpc("verifyAccessToken", a.accessToken)).toEqual({ ok: false, reason: "revoked" });
    expect(await rpc("verifyAccessToken", login.body.accessToken)).toEqual({ ok: false, reason: "revoked" });
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie: refreshCookieFrom(login.headers) }), 401, "session_ended");
    expect(await rpc("revokeAllSessions", sub)).toEqual([]);
    expect(await rpc("verifyAccessToken", other.accessToken)).toMatchObject({ ok: true });
    for (const bad of BAD_IDS) expect(await rpc("revokeAllSessions", bad)).toEqual([]);
  });

  it("exposes only the documented methods: helpers and internals are not callable over the binding", async () => {
    const { user } = await signUp();
    const probe = async (method: string, ...args: unknown[]) => {
      const res = await env.OTHER.fetch("http://other/probe", { method: "POST", body: JSON.stringify({ method, args }) });
      return ((await res.json()) as { callable: boolean }).callable;
    };
    // The attack: a caller forging audit records (or reaching the env) through a helper.
    const forged = { type: "sign_in.success", userId: user.id, reason: "forged" };
    for (const name of ["audit", "auditRpc", "env", "ctx", "toContractClaims", "toPublicSession", "fetch"]) {
      expect(await probe(name, forged), name).toBe(false);
    }
    const { events } = await listAuditEvents(env, user.id, undefined);
    expect(events.filter((e) => e.reason === "forged")).toEqual([]);
    // The documented contract still answers.
    expect(await probe("getUser", user.id)).toBe(true);
  });
});
