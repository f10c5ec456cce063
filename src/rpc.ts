// AuthService: the RPC entrypoint other Workers reach through a service binding
// (`services = [{ binding = "AUTH", service = "edge-auth", entrypoint = "AuthService" }]`).
// A service binding is reachable only by Workers of the same account that declare it, so
// this boundary trusts its caller's identity but not its arguments: every argument is
// checked here, and expected misses come back as data (null / false / a reason), never
// as thrown errors, which would cross the binding as opaque exceptions.
import { WorkerEntrypoint } from "cloudflare:workers";
import { verifyAccessToken as verifyTokenLocally, type AccessClaims } from "./auth/access-token";
import { PERMISSION } from "./auth/org-roles";
import { can } from "./auth/permissions";
import { findMembership, listMembershipsOfUser } from "./storage/memberships";
import { endAllSessions, endSession, findSession, isSessionActive, isSessionActiveAtEdge } from "./auth/session";
import type { SessionRecord } from "./model/session";
import { publicUser } from "./http/respond";
import { recordAuditEvent } from "./storage/audit";
import { findUserById } from "./storage/users";
import type { AccessTokenClaims, AuthServiceApi, PublicMembership, PublicSession, PublicUser, VerifyOptions, VerifyResult } from "./verifier/contract";
import { ID } from "./model/ids";
import { iso } from "./model/time";

// The shapes ids are minted in (randomId: 22 base64url chars; imported users may differ).
// Anything else is refused before it can name a Durable Object.
const USER_ID = ID.user;
const SESSION_ID = ID.record;
const isUserId = (v: unknown): v is string => typeof v === "string" && USER_ID.test(v);
const isSessionId = (v: unknown): v is string => typeof v === "string" && SESSION_ID.test(v);

export class AuthService extends WorkerEntrypoint<Env> implements AuthServiceApi {
  /**
   * Signature, algorithm, kid, iss, aud, typ and exp are checked in this isolate (no I/O).
   * Then, unless `checkRevocation: false`, the user's SessionFence answers whether the
   * session is still live: one Durable Object round trip (the object lives in one place,
   * so a caller far from it pays that distance), strongly consistent with every revocation.
   * `checkRevocation: "edge"` reads the session's state from KV at the caller's location
   * instead (about 60 s behind the object; falls back to it when KV has no entry).
   */
  async verifyAccessToken(token: string, options: VerifyOptions = {}): Promise<VerifyResult> {
    if (typeof token !== "string") return { ok: false, reason: "invalid" };
    const result = await verifyTokenLocally(this.env, token);
    if (!result.ok) return result;
    const claims = result.claims;
    if (claims.pending) return { ok: false, reason: "incomplete" };
    if (options?.checkRevocation !== false) {
      // "edge": a KV read here (about 60 s behind); anything else but false: the SessionFence.
      const live =
        options?.checkRevocation === "edge"
          ? await isSessionActiveAtEdge(this.env, claims.sub, claims.sid)
          : await isSessionActive(this.env, claims.sub, claims.sid);
      if (!live) return { ok: false, reason: "revoked" };
    }
    return { ok: true, claims: toContractClaims(claims) };
  }

  /** The public profile, or null when there is no such user or the account is disabled. */
  async getUser(userId: string): Promise<PublicUser | null> {
    if (!isUserId(userId)) return null;
    const user = await findUserById(this.env, userId);
    return user && user.disabledAt === null ? publicUser(user) : null;
  }

  /** A live session of that user, or null (unknown, ended or expired). */
  async getSession(userId: string, sessionId: string): Promise<PublicSession | null> {
    if (!isUserId(userId) || !isSessionId(sessionId)) return null;
    const record = await findSession(this.env, userId, sessionId);
    return record ? toPublicSession(record) : null;
  }

  async revokeSession(userId: string, sessionId: string): Promise<boolean> {
    if (!isUserId(userId) || !isSessionId(sessionId)) return false;
    const ended = await endSession(this.env, userId, sessionId);
    if (ended) await auditRpc(this.env, { type: "session.revoked", userId, sessionId, reason: "service_binding" });
    return ended;
  }

  async revokeAllSessions(userId: string): Promise<string[]> {
    if (!isUserId(userId)) return [];
    const ended = await endAllSessions(this.env, userId);
    if (ended.length > 0) await auditRpc(this.env, { type: "session.revoked", userId, reason: "service_binding", detail: { all: true, count: ended.length } });
    return ended;
  }

  async getMemberships(userId: string): Promise<PublicMembership[]> {
    if (!isUserId(userId)) return [];
    const memberships = await listMembershipsOfUser(this.env, userId);
    return memberships.map((m) => ({
      orgId: m.orgId,
      name: m.name,
      slug: m.slug,
      kind: m.kind,
      role: m.role,
      permissions: m.permissions,
      joinedAt: new Date(m.joinedAt).toISOString(),
    }));
  }

  async checkPermission(userId: string, orgId: string, permission: string): Promise<boolean> {
    if (!isUserId(userId) || typeof orgId !== "string" || !ID.record.test(orgId) || typeof permission !== "string" || !PERMISSION.test(permission))
      return false;
    const [member, user] = await Promise.all([findMembership(this.env, orgId, userId), findUserById(this.env, userId)]);
    return !!user && user.disabledAt === null && can(member, permission);
  }
  // Helpers stay module functions: every method of this class (even a TypeScript
  // `private` one) is callable over the binding, so the class holds the contract only.
}

async function auditRpc(env: Env, event: Parameters<typeof recordAuditEvent>[1]): Promise<void> {
  // The revocation has happened; a failing audit write must not report it as failed.
  await recordAuditEvent(env, event).catch((e) => console.error("[audit] rpc", e));
}

function toContractClaims(c: AccessClaims): AccessTokenClaims {
  return {
    iss: c.iss!,
    aud: c.aud!,
    sub: c.sub,
    sid: c.sid,
    jti: c.jti,
    iat: c.iat,
    exp: c.exp,
    ...(c.amr ? { amr: c.amr } : {}),
    ...(c.auth_time !== undefined ? { auth_time: c.auth_time } : {}),
    ...(c.org ? { org: c.org } : {}),
    ...(c.act ? { act: { sub: c.act.sub } } : {}),
  };
}

function toPublicSession(s: SessionRecord): PublicSession {
  return {
    id: s.id,
    userId: s.userId,
    method: s.method,
    device: s.device,
    userAgent: s.userAgent,
    ip: s.ip,
    country: s.country ?? null,
    city: s.city ?? null,
    createdAt: iso(s.createdAt),
    lastUsedAt: iso(s.lastUsedAt),
    expiresAt: iso(Math.min(s.idleExpiresAt, s.absoluteExpiresAt)),
    amr: s.amr ?? [],
    authenticatedAt: iso(s.authenticatedAt ?? s.createdAt),
  };
}
