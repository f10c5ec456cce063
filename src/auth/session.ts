// Sessions: every sign-in starts one; it yields a short access JWT and a rotating
// opaque refresh token `<userId>.<sessionId>.<secret>`. The ids route the token to the
// user's SessionFence object; only SHA-256 of the 256-bit secret is ever stored.
import { clock } from "../clock";
import { config } from "../config";
import type { DeviceInfo, DeviceSighting, OrgClaim, PendingStep, RotateResult, SessionRecord } from "../model/session";
import { issueAccessToken, type SessionClaims } from "./access-token";
import { deviceFingerprint } from "./new-device";
import { needsPhoneVerification } from "./oauth/accounts";
import { randomId, randomToken, sha256Hex } from "./secrets";
import { ID } from "../model/ids";
import { sessionObject } from "../objects/names";
import { findOrgClaim, touchMembership } from "../storage/memberships";
import { readSessionState } from "../storage/session-state";

export type IssuedTokens = {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  sessionId: string;
  refreshExpiresAt: number;
  /** Set while the account must finish a step (OAUTH_REQUIRE_PHONE): the tokens are restricted. */
  pending?: PendingStep;
  /** A new session only: was its device seen before (src/auth/new-device.ts)? Noted with the session, in one call. */
  sighting?: DeviceSighting;
};

export function sessionFence(env: Env, userId: string) {
  return sessionObject(env, userId);
}

/** What each way of signing in proves, in RFC 8176 values (unknown methods prove nothing named). */
export function amrOf(method: string): string[] {
  if (method.startsWith("oauth:")) return ["fed"];
  return (
    {
      password: ["pwd"],
      email_code: ["otp"],
      magic_link: ["otp"],
      email_verification: ["otp"],
      phone_code: ["sms"],
      phone_signup: ["sms"],
      passkey: ["hwk", "user"],
    }[method] ?? []
  );
}

export type SessionOptions = {
  /** Start working in this organization (the caller checked the membership). */
  activeOrgId?: string;
  /** An impersonation session: the admin, and a short absolute lifetime. */
  actor?: { sub: string };
  maxLifetimeMs?: number;
};

/** Starts a session. `amr`: what the sign-in proved (defaults to what `method` proves). */
export async function startSession(
  env: Env,
  userId: string,
  device: DeviceInfo,
  method: string,
  amr: string[] = amrOf(method),
  options: SessionOptions = {},
): Promise<IssuedTokens> {
  const c = config(env);
  const now = clock.now();
  const sessionId = randomId();
  const secret = randomToken();
  // Every way of signing in asks, so none of them skips the phone step.
  const pending: PendingStep | undefined = (await needsPhoneVerification(env, userId, c.oauthRequirePhone)) ? "phone" : undefined;
  const record: SessionRecord = {
    ...device,
    id: sessionId,
    userId,
    method,
    createdAt: now,
    authenticatedAt: now,
    amr,
    lastUsedAt: now,
    idleExpiresAt: now + Math.min(c.refreshIdleTtl * 1000, options.maxLifetimeMs ?? Infinity),
    absoluteExpiresAt: now + Math.min(c.refreshAbsoluteTtl * 1000, options.maxLifetimeMs ?? Infinity),
    ...(pending ? { pending } : {}),
    ...(options.activeOrgId ? { activeOrgId: options.activeOrgId } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
  };
  // An impersonating admin's device is not the user's: nothing is noted for it.
  const fingerprint = options.actor ? undefined : deviceFingerprint(userId, device);
  const sighting = await sessionFence(env, userId).create(record, sha256Hex(secret), fingerprint);
  const tokens = await issueTokens(env, { userId, sessionId, secret }, record);
  return sighting ? { ...tokens, sighting } : tokens;
}

type RefreshParts = { userId: string; sessionId: string; secret: string };

/**
 * What a session's access tokens say besides sub/sid: one place, so sign-in, refresh and
 * switch-org agree. `org` is the active organization as D1 says NOW (`activeOrgClaim`).
 */
export function sessionClaims(session: SessionRecord, org: OrgClaim | null): SessionClaims {
  return {
    ...(session.pending ? { pending: session.pending } : {}),
    ...(session.amr ? { amr: session.amr } : {}),
    auth_time: Math.floor((session.authenticatedAt ?? session.createdAt) / 1000),
    ...(org ? { org } : {}),
    ...(session.actor ? { act: { sub: session.actor.sub } } : {}),
  };
}

/**
 * The `org` claim for the session's active organization, read from D1 at every issue
 * (sign-in, refresh, switch): a role change or removal shows in the next access token,
 * so a token's `org` is at most ACCESS_TOKEN_TTL_SECONDS stale (README "Active organization").
 */
export async function activeOrgClaim(env: Env, userId: string, orgId: string | undefined): Promise<OrgClaim | null> {
  if (!orgId) return null;
  // One D1 round trip: the claim in one query, and the last-active mark beside it (it
  // changes no row when there is no membership; at most once a minute when there is).
  const [claim] = await Promise.all([findOrgClaim(env, orgId, userId), touchMembership(env, orgId, userId)]);
  return claim;
}

/** An access token for a session as it stands (after switching organization). */
export async function reissueAccessToken(env: Env, session: SessionRecord): Promise<{ token: string; expiresIn: number; org: OrgClaim | null }> {
  const org = await activeOrgClaim(env, session.userId, session.activeOrgId);
  const access = await issueAccessToken(env, session.userId, session.id, sessionClaims(session, org), tokenTtlCap(session));
  return { ...access, org };
}

/** Sets (or clears, with null) the session's active organization; null when the session is not live. */
export function setActiveOrg(env: Env, userId: string, sessionId: string, orgId: string | null): Promise<SessionRecord | null> {
  return sessionFence(env, userId).setActiveOrg(sessionId, orgId, clock.now());
}

/** The user left (or lost) the organization: no session of theirs keeps it active. */
export function clearActiveOrg(env: Env, userId: string, orgId: string): Promise<number> {
  return sessionFence(env, userId).clearActiveOrg(orgId);
}

/** An impersonation session's tokens never outlive it. */
const tokenTtlCap = (session: SessionRecord) => (session.actor ? Math.floor((session.absoluteExpiresAt - clock.now()) / 1000) : undefined);

/** A new access token next to the refresh token `<userId>.<sessionId>.<secret>`. */
async function issueTokens(env: Env, parts: RefreshParts, session: SessionRecord): Promise<IssuedTokens> {
  const claims = sessionClaims(session, await activeOrgClaim(env, parts.userId, session.activeOrgId));
  const access = await issueAccessToken(env, parts.userId, parts.sessionId, claims, tokenTtlCap(session));
  return {
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken: `${parts.userId}.${parts.sessionId}.${parts.secret}`,
    sessionId: parts.sessionId,
    refreshExpiresAt: session.idleExpiresAt,
    ...(claims.pending ? { pending: claims.pending } : {}),
  };
}

function parseRefreshToken(token: string): RefreshParts | null {
  const [userId, sessionId, secret, extra] = token.split(".");
  if (extra !== undefined || !userId || !sessionId || !secret) return null;
  return ID.user.test(userId) && ID.record.test(sessionId) && ID.token256.test(secret) ? { userId, sessionId, secret } : null;
}

export type RefreshOutcome =
  | { ok: true; tokens: IssuedTokens; userId: string }
  | { ok: false; reason: Exclude<RotateResult, { ok: true }>["reason"]; userId?: string; sessionId?: string };

export async function rotateRefreshToken(env: Env, refreshToken: string): Promise<RefreshOutcome> {
  const parts = parseRefreshToken(refreshToken);
  if (!parts) return { ok: false, reason: "invalid" };
  const { userId, sessionId, secret } = parts;
  const nextSecret = randomToken();
  const c = config(env);
  const result = await sessionFence(env, userId).rotate(sessionId, sha256Hex(secret), sha256Hex(nextSecret), c.refreshIdleTtl * 1000, clock.now());
  // The ids are only trusted once the fence recognised the secret (reused/revoked/expired).
  if (!result.ok) return result.reason === "invalid" ? result : { ...result, userId, sessionId };
  // A waiting session asks again, so it heals itself if the phone arrived another way
  // (or the policy was switched off) since it started.
  let session = result.session;
  if (session.pending && !(await needsPhoneVerification(env, userId, c.oauthRequirePhone))) {
    await sessionFence(env, userId).completeStep(session.pending, clock.now());
    const { pending: _done, ...complete } = session;
    session = complete;
  }
  return { ok: true, userId, tokens: await issueTokens(env, { userId, sessionId, secret: nextSecret }, session) };
}

/** Sign-out with a refresh token: ends its session if the token proves possession. */
export async function endSessionByRefreshToken(env: Env, refreshToken: string): Promise<{ userId: string; sessionId: string } | null> {
  const parts = parseRefreshToken(refreshToken);
  if (!parts) return null;
  const ended = await sessionFence(env, parts.userId).revokeWithToken(parts.sessionId, sha256Hex(parts.secret), clock.now());
  return ended ? { userId: parts.userId, sessionId: parts.sessionId } : null;
}

export function endSession(env: Env, userId: string, sessionId: string): Promise<boolean> {
  return sessionFence(env, userId).revoke(sessionId, clock.now());
}

export function endAllSessions(env: Env, userId: string, keepSessionId?: string): Promise<string[]> {
  return sessionFence(env, userId).revokeAll(clock.now(), keepSessionId);
}

/** The account finished `step` (a phone was verified): its waiting sessions become complete at their next refresh. */
export function completePendingStep(env: Env, userId: string, step: PendingStep): Promise<number> {
  return sessionFence(env, userId).completeStep(step, clock.now());
}

export function isSessionActive(env: Env, userId: string, sessionId: string): Promise<boolean> {
  return sessionFence(env, userId).isActive(sessionId, clock.now());
}

/** Re-authentication: the session's authentication time becomes now; null when it is not live. */
export function reauthenticateSession(env: Env, userId: string, sessionId: string, amr: string[]): Promise<SessionRecord | null> {
  return sessionFence(env, userId).reauthenticate(sessionId, amr, clock.now());
}

/** A new access token for a live session's current record (after a re-authentication). */
export async function accessTokenFor(env: Env, session: SessionRecord): Promise<{ token: string; expiresIn: number }> {
  const { token, expiresIn } = await reissueAccessToken(env, session);
  return { token, expiresIn };
}

/**
 * Revocation checked at the caller's location: the KV read model the SessionFence
 * publishes (src/storage/session-state.ts; about 60 s behind it), or, when KV has no
 * entry for the session, the SessionFence itself.
 */
export async function isSessionActiveAtEdge(env: Env, userId: string, sessionId: string): Promise<boolean> {
  const state = await readSessionState(env, userId, sessionId);
  if (!state) return isSessionActive(env, userId, sessionId);
  return state.live && clock.now() < state.expiresAt;
}

/** The session's record while it is live, else null. */
export function findSession(env: Env, userId: string, sessionId: string): Promise<SessionRecord | null> {
  return sessionFence(env, userId).get(sessionId, clock.now());
}
