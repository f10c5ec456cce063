// Sessions: every sign-in starts one; it yields a short access JWT and a rotating
// opaque refresh token `<userId>.<sessionId>.<secret>`. The ids route the token to the
// user's SessionFence object; only SHA-256 of the 256-bit secret is ever stored.
import { clock } from "../clock";
import { config } from "../config";
import type { DeviceInfo, RotateResult, SessionRecord } from "../guard/session-fence";
import { issueAccessToken } from "./access-token";
import { randomId, randomToken, sha256Hex } from "./secrets";

export type IssuedTokens = {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  sessionId: string;
  refreshExpiresAt: number;
};

export function sessionFence(env: Env, userId: string) {
  return env.SESSIONS.get(env.SESSIONS.idFromName(`user:${userId}`));
}

export async function startSession(env: Env, userId: string, device: DeviceInfo, method: string): Promise<IssuedTokens> {
  const c = config(env);
  const now = clock.now();
  const sessionId = randomId();
  const secret = randomToken();
  const record: SessionRecord = {
    ...device,
    id: sessionId,
    userId,
    method,
    createdAt: now,
    lastUsedAt: now,
    idleExpiresAt: now + c.refreshIdleTtl * 1000,
    absoluteExpiresAt: now + c.refreshAbsoluteTtl * 1000,
  };
  await sessionFence(env, userId).create(record, sha256Hex(secret));
  const access = await issueAccessToken(env, userId, sessionId);
  return {
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken: `${userId}.${sessionId}.${secret}`,
    sessionId,
    refreshExpiresAt: record.idleExpiresAt,
  };
}

const REFRESH_TOKEN = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/;

export type RefreshOutcome = { ok: true; tokens: IssuedTokens; userId: string } | { ok: false; reason: Exclude<RotateResult, { ok: true }>["reason"] };

export async function rotateRefreshToken(env: Env, refreshToken: string): Promise<RefreshOutcome> {
  const m = REFRESH_TOKEN.exec(refreshToken);
  if (!m) return { ok: false, reason: "invalid" };
  const [, userId, sessionId, secret] = m as unknown as [string, string, string, string];
  const nextSecret = randomToken();
  const c = config(env);
  const result = await sessionFence(env, userId).rotate(sessionId, sha256Hex(secret), sha256Hex(nextSecret), c.refreshIdleTtl * 1000, clock.now());
  if (!result.ok) return result;
  const access = await issueAccessToken(env, userId, sessionId);
  return {
    ok: true,
    userId,
    tokens: {
      accessToken: access.token,
      expiresIn: access.expiresIn,
      refreshToken: `${userId}.${sessionId}.${nextSecret}`,
      sessionId,
      refreshExpiresAt: result.session.idleExpiresAt,
    },
  };
}

/** Sign-out with a refresh token: ends its session if the token proves possession. */
export async function endSessionByRefreshToken(env: Env, refreshToken: string): Promise<{ userId: string; sessionId: string } | null> {
  const m = REFRESH_TOKEN.exec(refreshToken);
  if (!m) return null;
  const [, userId, sessionId, secret] = m as unknown as [string, string, string, string];
  const ended = await sessionFence(env, userId).revokeWithToken(sessionId, sha256Hex(secret), clock.now());
  return ended ? { userId, sessionId } : null;
}

export function endSession(env: Env, userId: string, sessionId: string): Promise<boolean> {
  return sessionFence(env, userId).revoke(sessionId, clock.now());
}

export function endAllSessions(env: Env, userId: string, keepSessionId?: string): Promise<string[]> {
  return sessionFence(env, userId).revokeAll(clock.now(), keepSessionId);
}

export function isSessionActive(env: Env, userId: string, sessionId: string): Promise<boolean> {
  return sessionFence(env, userId).isActive(sessionId, clock.now());
}

/** The session's record while it is live, else null. */
export function findSession(env: Env, userId: string, sessionId: string): Promise<SessionRecord | null> {
  return sessionFence(env, userId).get(sessionId, clock.now());
}
