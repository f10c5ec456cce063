// The contract between Edge Auth and the Workers that bind to it: plain data types only.
// This file is imported by BOTH sides — the AuthService entrypoint (src/rpc.ts) declares
// `implements AuthServiceApi`, so the published types cannot drift from the real class —
// and it must never import anything from the rest of src/ (it ships in `edge-auth/verifier`).

/** Claims of an access token (RFC 9068 profile: `typ: at+jwt`). */
export type AccessTokenClaims = {
  /** Issuer: the service's PUBLIC_URL. */
  iss: string;
  /** Audience: JWT_AUDIENCE, or PUBLIC_URL when unset. */
  aud: string | string[];
  /** The user id. */
  sub: string;
  /** The session id: pass it with `sub` to getSession / revokeSession. */
  sid: string;
  /** Unique token id. */
  jti: string;
  /** Issued at / expires at, seconds since the epoch. */
  iat: number;
  exp: number;
  /**
   * How the user proved who they are in this session (RFC 8176): "pwd" password, "otp"
   * one-time code (email, magic link, authenticator app), "sms" phone code, "fed" social
   * sign-in, "hwk" + "user" passkey, "rc" recovery code, "mfa" when two factors were used.
   * A re-authentication adds what it used.
   */
  amr?: string[];
  /** When the user last proved who they are in this session (sign-in or re-authentication), seconds since the epoch. */
  auth_time?: number;
};

/**
 * Why a token is refused. `revoked`: well signed and unexpired, but its session has
 * ended (sign-out, revocation, password change); only the service can know this.
 * `incomplete`: the token carries a `pending` claim (policy OAUTH_REQUIRE_PHONE: the
 * account must verify a phone first); such a session may use nothing but Edge Auth itself.
 */
export type TokenFailureReason = "expired" | "revoked" | "invalid" | "incomplete";

export type VerifyResult = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: TokenFailureReason };

export type VerifyOptions = {
  /**
   * Ask the user's session fence whether the session is still live (default true): one
   * Durable Object round trip, strongly consistent — a revocation is seen by the very next
   * call, everywhere. `false` checks signature and claims only, in-process, and accepts a
   * revoked session's token until it expires (ACCESS_TOKEN_TTL_SECONDS, 15 min by default).
   * `"edge"` reads the session's state from KV at the caller's location: no trip to the
   * object, but a revocation is seen only once KV has propagated it (about 60 s); a session
   * KV has no entry for is checked with the object.
   */
  checkRevocation?: boolean | "edge";
};

export type PublicUser = {
  id: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** ISO 8601. */
  createdAt: string;
};

export type PublicSession = {
  id: string;
  userId: string;
  /** How it started: "password", "email_code", "oauth:github", ... */
  method: string;
  /** A short label such as "Firefox on Linux". */
  device: string;
  userAgent: string;
  ip: string;
  country: string | null;
  city: string | null;
  /** ISO 8601. */
  createdAt: string;
  lastUsedAt: string;
  /** When it ends unless refreshed again (the earlier of idle and absolute expiry). */
  expiresAt: string;
  /** How the user proved who they are (see AccessTokenClaims.amr); [] for sessions older than the record. */
  amr: string[];
  /** ISO 8601: the sign-in or the last re-authentication. */
  authenticatedAt: string;
};

/**
 * The RPC surface of the `AuthService` entrypoint. Sessions live in one Durable Object per
 * user, so a session is named by (userId, sessionId) — exactly the `sub` and `sid` claims
 * of its access tokens. Expected misses are `null` / `false` / a failure reason, never a
 * thrown error. `checkPermission(...)` joins this interface with organizations.
 */
export interface AuthServiceApi {
  verifyAccessToken(token: string, options?: VerifyOptions): Promise<VerifyResult>;
  getUser(userId: string): Promise<PublicUser | null>;
  getSession(userId: string, sessionId: string): Promise<PublicSession | null>;
  /** Ends one session; true when it was live. Its access tokens then fail `verifyAccessToken` as "revoked". */
  revokeSession(userId: string, sessionId: string): Promise<boolean>;
  /** Ends every live session of the user; returns the ids ended. */
  revokeAllSessions(userId: string): Promise<string[]>;
}
