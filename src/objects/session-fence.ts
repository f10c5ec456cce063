// The SessionFence Durable Object: one instance per user, holding the authoritative
// state of that user's sessions. Refresh-token rotation, revocation and listing all go
// through it, so a revoked or rotated token fails at once everywhere — KV alone would
// let it refresh from another location for up to ~60 s (docs/architecture.md §3).
// Methods are synchronous over SQLite-backed `storage.kv`: each call is atomic. A change
// of liveness (start, end) is then published to KV as the edge read model
// (src/storage/session-state.ts), after the state here is already decided.
import { DurableObject } from "cloudflare:workers";
import type { DeviceSighting, PendingStep, RotateResult, SessionRecord } from "../model/session";
import { forgetSessionState, publishSessionState } from "../storage/session-state";

type StoredSession = SessionRecord & {
  /** SHA-256 of the current refresh secret. */
  tokenHash: string;
  /** Hashes of secrets already rotated away: presenting one means theft (RFC 9700 §4.14.2). */
  rotated: string[];
  revokedAt?: number;
  generation: number;
};

// Devices the user signed in from, by fingerprint; forgotten after 180 days unseen.
const MAX_DEVICES = 50;
const DEVICE_MEMORY_MS = 180 * 86400 * 1000;

// Enough history to recognise any realistic replay of an old token; older ones simply fail as invalid.
const MAX_ROTATED = 64;
// Revoked sessions are kept a while so a replay is still recognised as reuse, then dropped.
const TOMBSTONE_MS = 24 * 3600 * 1000;

export class SessionFence extends DurableObject<Env> {
  // Publishes go out one after another, so KV never ends up with an older state last
  // (a "live" landing after the "ended" that followed it).
  private publishing: Promise<void> = Promise.resolve();

  /**
   * Starts a session. With `deviceFingerprint` the sign-in device is noted in the same
   * call (see `noteDevice`), so a sign-in costs one round trip here, not two
   * (docs/architecture.md §8); null without one (an impersonation session notes nothing).
   */
  async create(session: SessionRecord, tokenHash: string, deviceFingerprint?: string): Promise<DeviceSighting | null> {
    this.ctx.storage.kv.put(`s:${session.id}`, { ...session, tokenHash, rotated: [], generation: 0 } satisfies StoredSession);
    this.prune(session.createdAt);
    const sighting = deviceFingerprint === undefined ? null : this.noteDevice(deviceFingerprint, session.createdAt);
    await this.publish(session.userId, [session.id], { live: true, expiresAt: session.absoluteExpiresAt }, session.createdAt);
    return sighting;
  }

  /**
   * Swap the presented secret for the next one, atomically. Exactly one of any number
   * of concurrent calls with the same secret wins; the rest see a rotated hash, which is
   * treated as reuse and ends the session (no grace window: see README "Sessions").
   */
  async rotate(sessionId: string, presentedHash: string, nextHash: string, idleTtlMs: number, now: number): Promise<RotateResult> {
    const s = this.ctx.storage.kv.get<StoredSession>(`s:${sessionId}`);
    if (!s) return { ok: false, reason: "invalid" };
    // A disabled account refreshes nothing, whatever its sessions' state (same answer as a revoked session).
    if (this.isDisabled()) return { ok: false, reason: "revoked" };
    if (s.revokedAt !== undefined) return { ok: false, reason: s.rotated.includes(presentedHash) || s.tokenHash === presentedHash ? "revoked" : "invalid" };
    if (s.tokenHash !== presentedHash) {
      if (!s.rotated.includes(presentedHash)) return { ok: false, reason: "invalid" };
      this.ctx.storage.kv.put(`s:${sessionId}`, { ...s, revokedAt: now } satisfies StoredSession);
      await this.publishEnded(s.userId, [sessionId], now);
      return { ok: false, reason: "reused" };
    }
    if (now >= s.idleExpiresAt || now >= s.absoluteExpiresAt) {
      this.ctx.storage.kv.put(`s:${sessionId}`, { ...s, revokedAt: now } satisfies StoredSession);
      await this.publishEnded(s.userId, [sessionId], now);
      return { ok: false, reason: "expired" };
    }
    const next: StoredSession = {
      ...s,
      tokenHash: nextHash,
      rotated: [presentedHash, ...s.rotated].slice(0, MAX_ROTATED),
      lastUsedAt: now,
      idleExpiresAt: Math.min(now + idleTtlMs, s.absoluteExpiresAt),
      generation: s.generation + 1,
    };
    this.ctx.storage.kv.put(`s:${sessionId}`, next);
    return { ok: true, session: publicRecord(next) };
  }

  /** True while the session may still be used (not revoked, not expired, account not disabled). */
  isActive(sessionId: string, now: number): boolean {
    const s = this.ctx.storage.kv.get<StoredSession>(`s:${sessionId}`);
    return !!s && isLive(s, now) && !this.isDisabled();
  }

  get(sessionId: string, now: number): SessionRecord | null {
    const s = this.ctx.storage.kv.get<StoredSession>(`s:${sessionId}`);
    return s && isLive(s, now) && !this.isDisabled() ? publicRecord(s) : null;
  }

  /**
   * The account is disabled (users.disabled_at, src/auth/account-status.ts): every live
   * session ends, and until `enable` no session of it is active or refreshes, even one a
   * sign-in racing with this call creates. Kept here, not read from D1, so refresh and
   * the revocation checks stay one Durable Object call. Returns the ids ended.
   */
  disable(now: number): Promise<string[]> {
    this.ctx.storage.kv.put("disabled", { at: now });
    return this.revokeAll(now);
  }

  enable(): void {
    this.ctx.storage.kv.delete("disabled");
  }

  private isDisabled(): boolean {
    return this.ctx.storage.kv.get("disabled") !== undefined;
  }

  list(now: number): SessionRecord[] {
    const out: SessionRecord[] = [];
    for (const [, s] of this.ctx.storage.kv.list<StoredSession>({ prefix: "s:" })) if (isLive(s, now)) out.push(publicRecord(s));
    return out.sort((a, b) => b.lastUsedAt - a.lastUsedAt);
  }

  /** The account finished `step`: every live session waiting on it becomes complete (from its next refresh). */
  completeStep(step: PendingStep, now: number): number {
    let completed = 0;
    for (const [key, s] of this.ctx.storage.kv.list<StoredSession>({ prefix: "s:" })) {
      if (s.pending !== step || !isLive(s, now)) continue;
      const { pending: _p, ...rest } = s;
      this.ctx.storage.kv.put(key, rest satisfies StoredSession);
      completed++;
    }
    return completed;
  }

  /**
   * The person proved who they are again in this session (POST /api/auth/reauthenticate):
   * authenticatedAt becomes `now` and `amr` gains what this proof used. Null when the
   * session is not live.
   */
  reauthenticate(sessionId: string, amr: string[], now: number): SessionRecord | null {
    const s = this.ctx.storage.kv.get<StoredSession>(`s:${sessionId}`);
    if (!s || !isLive(s, now)) return null;
    const next: StoredSession = { ...s, authenticatedAt: now, amr: [...new Set([...(s.amr ?? []), ...amr])] };
    this.ctx.storage.kv.put(`s:${sessionId}`, next);
    return publicRecord(next);
  }

  /** Sets or clears the active organization of a live session; returns the record, or null. */
  setActiveOrg(sessionId: string, orgId: string | null, now: number): SessionRecord | null {
    const s = this.ctx.storage.kv.get<StoredSession>(`s:${sessionId}`);
    if (!s || !isLive(s, now)) return null;
    const { activeOrgId: _old, ...rest } = s;
    const next: StoredSession = orgId ? { ...rest, activeOrgId: orgId } : rest;
    this.ctx.storage.kv.put(`s:${sessionId}`, next);
    return publicRecord(next);
  }

  /** Clears `orgId` as the active organization of every session (the membership ended). */
  clearActiveOrg(orgId: string): number {
    let cleared = 0;
    for (const [key, s] of this.ctx.storage.kv.list<StoredSession>({ prefix: "s:" })) {
      if (s.activeOrgId !== orgId) continue;
      const { activeOrgId: _old, ...rest } = s;
      this.ctx.storage.kv.put(key, rest satisfies StoredSession);
      cleared++;
    }
    return cleared;
  }

  /** Ends one session; returns whether it was live. */
  async revoke(sessionId: string, now: number): Promise<boolean> {
    const s = this.ctx.storage.kv.get<StoredSession>(`s:${sessionId}`);
    if (!s || !isLive(s, now)) return false;
    this.ctx.storage.kv.put(`s:${sessionId}`, { ...s, revokedAt: now } satisfies StoredSession);
    await this.publishEnded(s.userId, [sessionId], now);
    return true;
  }

  /** Ends the session only if the caller holds its current (or a rotated) refresh secret. */
  async revokeWithToken(sessionId: string, presentedHash: string, now: number): Promise<boolean> {
    const s = this.ctx.storage.kv.get<StoredSession>(`s:${sessionId}`);
    if (!s || (s.tokenHash !== presentedHash && !s.rotated.includes(presentedHash))) return false;
    return this.revoke(sessionId, now);
  }

  /** Ends every live session except `keep`; returns the ids ended. */
  async revokeAll(now: number, keep?: string): Promise<string[]> {
    const ended: StoredSession[] = [];
    for (const [key, s] of this.ctx.storage.kv.list<StoredSession>({ prefix: "s:" })) {
      if (s.id === keep || !isLive(s, now)) continue;
      this.ctx.storage.kv.put(key, { ...s, revokedAt: now } satisfies StoredSession);
      ended.push(s);
    }
    if (ended.length > 0)
      await this.publishEnded(
        ended[0]!.userId,
        ended.map((s) => s.id),
        now,
      );
    return ended.map((s) => s.id);
  }

  /**
   * Remembers the device (a hash of user, browser, OS and country: see src/auth/new-device.ts)
   * and says whether it was seen before. Atomic, so two parallel sign-ins from one new
   * device send one notice, not two.
   */
  noteDevice(fingerprint: string, now: number): DeviceSighting {
    const known = [...this.ctx.storage.kv.list<{ lastSeen: number }>({ prefix: "d:" })].filter(([key, d]) => {
      if (d.lastSeen + DEVICE_MEMORY_MS > now) return true;
      this.ctx.storage.kv.delete(key);
      return false;
    });
    const seen = known.some(([key]) => key === `d:${fingerprint}`);
    this.ctx.storage.kv.put(`d:${fingerprint}`, { lastSeen: now });
    if (!seen && known.length >= MAX_DEVICES) {
      const oldest = known.sort((a, b) => a[1].lastSeen - b[1].lastSeen)[0]!;
      this.ctx.storage.kv.delete(oldest[0]);
    }
    return seen ? "known" : known.length === 0 ? "first" : "new";
  }

  /**
   * The user was deleted: every session, tombstone and known device goes (README
   * "Deletion"), and so do the edge copies of the sessions (KV): a missing copy means
   * "ask the fence", which then knows no session.
   */
  async erase(): Promise<void> {
    await this.publishing;
    const sessions = [...this.ctx.storage.kv.list<StoredSession>({ prefix: "s:" })].map(([, s]) => s);
    await Promise.all(sessions.map((s) => forgetSessionState(this.env, s.userId, s.id)));
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  private publishEnded(userId: string, sessionIds: string[], now: number): Promise<void> {
    return this.publish(userId, sessionIds, { live: false, expiresAt: now }, now);
  }

  /**
   * The edge read model is a copy: a write that still fails after three tries is logged,
   * never turns a decided sign-in or revocation into an error (README states what an edge
   * check may miss while KV is failing).
   */
  private publish(userId: string, sessionIds: string[], state: { live: boolean; expiresAt: number }, now: number): Promise<void> {
    const once = () => Promise.all(sessionIds.map((id) => publishSessionState(this.env, userId, id, state, now)));
    const write = this.publishing.then(() => once().catch(once).catch(once));
    this.publishing = write.then(
      () => undefined,
      (e: unknown) => console.error("[session-state] publish failed", e),
    );
    return this.publishing;
  }

  // Drop sessions long dead so the object stays small; runs on each create.
  private prune(now: number): void {
    for (const [key, s] of this.ctx.storage.kv.list<StoredSession>({ prefix: "s:" })) {
      const deadSince = s.revokedAt ?? Math.min(s.idleExpiresAt, s.absoluteExpiresAt);
      if (deadSince + TOMBSTONE_MS < now) this.ctx.storage.kv.delete(key);
    }
  }
}

function isLive(s: StoredSession, now: number): boolean {
  return s.revokedAt === undefined && now < s.idleExpiresAt && now < s.absoluteExpiresAt;
}

function publicRecord(s: StoredSession): SessionRecord {
  const { tokenHash: _t, rotated: _r, revokedAt: _v, generation: _g, ...rest } = s;
  return rest;
}
