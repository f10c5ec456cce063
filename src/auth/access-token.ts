// Access tokens: short-lived JWTs (RFC 9068 profile, `typ: at+jwt`).
// Verification is strict: compact form only, algorithm allow-list, kid from our own
// key ring only (never a key named in the token), iss, aud, typ and exp all checked.
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from "jose";
import { config } from "../config";
import { nowSeconds } from "../clock";
import type { OrgClaim, PendingStep } from "../model/session";
import { keyRing } from "./signing-keys";
import { ID } from "../model/ids";

/**
 * Claims a session adds to its access tokens besides the registered ones (built from the
 * session record by `sessionClaims` in src/auth/session.ts, so refresh re-issues the same).
 * `pending`: the session must finish a step first (see SessionRecord.pending); absent when complete.
 * `amr` (RFC 8176) and `auth_time` (seconds; OpenID Connect Core §2): how and when the
 * person last proved who they are in this session, so a resource can ask for more.
 * `org`: the active organization with the caller's role and permissions in it (as of issue).
 * `act`: an impersonation session: the platform admin acting as `sub` (RFC 8693 §4.1).
 */
export type SessionClaims = { pending?: PendingStep; amr?: string[]; auth_time?: number; org?: OrgClaim; act?: { sub: string } };

export type AccessClaims = JWTPayload & SessionClaims & { sub: string; sid: string; jti: string; exp: number; iat: number };

export type AccessTokenFailure = "invalid" | "expired";

/** `maxTtlSeconds`: a session ending sooner (impersonation) caps its tokens' lifetime. */
export async function issueAccessToken(
  env: Env,
  userId: string,
  sessionId: string,
  claims: SessionClaims = {},
  maxTtlSeconds?: number,
): Promise<{ token: string; expiresIn: number }> {
  const c = config(env);
  const ring = await keyRing(env);
  const iat = nowSeconds();
  const ttl = Math.max(1, Math.min(c.accessTokenTtl, maxTtlSeconds ?? Infinity));
  const token = await new SignJWT({ sid: sessionId, ...claims })
    .setProtectedHeader({ alg: ring.signing.alg, kid: ring.signing.kid, typ: "at+jwt" })
    .setIssuer(c.publicUrl)
    .setAudience(c.audience)
    .setSubject(userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(crypto.randomUUID())
    .sign(ring.signing.key);
  return { token, expiresIn: ttl };
}

// Three base64url segments, nothing else: rejects JWE, JSON serialisation and junk early.
const COMPACT_JWS = ID.compactJws;

export async function verifyAccessToken(env: Env, token: string): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: AccessTokenFailure }> {
  if (token.length > 4096 || !COMPACT_JWS.test(token)) return { ok: false, reason: "invalid" };
  const c = config(env);
  const ring = await keyRing(env);
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const entry = header.kid ? ring.verify.get(header.kid) : undefined;
        if (!entry || entry.alg !== header.alg) throw new joseErrors.JWSInvalid("unknown kid or algorithm");
        return entry.key;
      },
      {
        algorithms: [...new Set([...ring.verify.values()].map((k) => k.alg))],
        issuer: c.publicUrl,
        audience: c.audience,
        typ: "at+jwt",
        requiredClaims: ["sub", "sid", "jti", "exp", "iat"],
        currentDate: new Date(nowSeconds() * 1000),
        clockTolerance: 5,
      },
    );
    if (typeof payload.sid !== "string" || typeof payload.sub !== "string") return { ok: false, reason: "invalid" };
    if (payload.pending !== undefined && payload.pending !== "phone") return { ok: false, reason: "invalid" };
    if (payload.amr !== undefined && !(Array.isArray(payload.amr) && payload.amr.every((v) => typeof v === "string"))) return { ok: false, reason: "invalid" };
    if (payload.auth_time !== undefined && !Number.isInteger(payload.auth_time)) return { ok: false, reason: "invalid" };
    if (payload.org !== undefined && !isOrgClaim(payload.org)) return { ok: false, reason: "invalid" };
    if (payload.act !== undefined && !(typeof payload.act === "object" && payload.act !== null && typeof (payload.act as { sub?: unknown }).sub === "string"))
      return { ok: false, reason: "invalid" };
    return { ok: true, claims: payload as AccessClaims };
  } catch (e) {
    return { ok: false, reason: e instanceof joseErrors.JWTExpired ? "expired" : "invalid" };
  }
}

function isOrgClaim(v: unknown): v is OrgClaim {
  const o = v as Partial<OrgClaim> | null;
  return (
    typeof o === "object" &&
    o !== null &&
    typeof o.id === "string" &&
    typeof o.slug === "string" &&
    typeof o.role === "string" &&
    Array.isArray(o.permissions) &&
    o.permissions.every((p) => typeof p === "string")
  );
}
