// Everything the service holds about a user, as one JSON document (GET /api/me/export,
// README "Export"). Secrets are never in it: no password hash, no refresh-token hashes,
// no code or link hashes, no revert tokens. What is left out and why is in the README's
// data-retention table.
import { clock } from "../clock";
import { config } from "../config";
import { notificationPrefs } from "./preferences";
import { membershipsOf } from "./organization-hooks";
import { sessionFence } from "./session";
import { profileBody } from "../http/respond";
import { listAuditEvents } from "../storage/audit";
import { listEmailChanges } from "../storage/email-changes";
import { listIdentities } from "../storage/identities";
import type { User } from "../storage/schema";
import { getPasswordUpdatedAt } from "../storage/users";
import { iso } from "../model/time";

// Audit events are kept AUDIT_RETENTION_DAYS; this bounds one export's reads all the same.
const MAX_EVENTS = 5000;

export async function exportAccount(env: Env, user: User) {
  const [identities, sessions, emailChanges, memberships, activity, passwordUpdatedAt] = await Promise.all([
    listIdentities(env, user.id),
    sessionFence(env, user.id).list(clock.now()),
    listEmailChanges(env, user.id),
    membershipsOf(env, user.id),
    allActivity(env, user.id),
    getPasswordUpdatedAt(env, user.id),
  ]);
  return {
    exportedAt: iso(clock.now()),
    service: config(env).appName,
    profile: {
      ...profileBody(user),
      emailVerifiedAt: iso(user.emailVerifiedAt),
      updatedAt: iso(user.updatedAt),
      deactivatedAt: iso(user.deactivatedAt),
    },
    preferences: { locale: user.locale, notifications: notificationPrefs(user) },
    password: { set: passwordUpdatedAt !== null, updatedAt: iso(passwordUpdatedAt) },
    identities: identities.map((i) => ({
      provider: i.provider,
      subject: i.subject,
      email: i.email,
      emailVerified: i.emailVerified,
      verifiedAt: iso(i.verifiedAt),
      createdAt: iso(i.createdAt),
      lastUsedAt: iso(i.lastUsedAt),
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      device: s.device,
      userAgent: s.userAgent,
      ip: s.ip,
      country: s.country ?? null,
      city: s.city ?? null,
      method: s.method,
      createdAt: iso(s.createdAt),
      lastUsedAt: iso(s.lastUsedAt),
      expiresAt: iso(Math.min(s.idleExpiresAt, s.absoluteExpiresAt)),
    })),
    emailChanges: emailChanges.map((ch) => ({ oldEmail: ch.oldEmail, newEmail: ch.newEmail, changedAt: iso(ch.createdAt), revertedAt: iso(ch.revertedAt) })),
    memberships,
    // Another person's request facts (an org admin acting on this user) are theirs, not this user's data.
    activity: activity
      .map((e) => ({ ...e, ...(e.actorId !== null && e.actorId !== user.id ? { ip: null, userAgent: null, country: null, city: null } : {}) }))
      .map((e) => ({
        type: e.type,
        reason: e.reason,
        at: iso(e.createdAt),
        sessionId: e.sessionId,
        ip: e.ip,
        userAgent: e.userAgent,
        country: e.country,
        city: e.city,
        detail: e.detail ? (JSON.parse(e.detail) as unknown) : null,
      })),
  };
}

async function allActivity(env: Env, userId: string) {
  const events: Awaited<ReturnType<typeof listAuditEvents>>["events"] = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents(env, userId, cursor, 100);
    events.push(...page.events);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && events.length < MAX_EVENTS);
  return events;
}
