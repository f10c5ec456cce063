// The audit trail: security events in D1. Callers pass facts about the request (never
// secrets, codes or passwords); reading is paginated newest first by an opaque cursor.
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { clock } from "../clock";
import type { DeviceInfo } from "../model/session";
import type { KnownAuditType } from "./audit-types";
import { db } from "./db";
import { auditEvents, type AuditEvent } from "./schema";

// Known types live in audit-types.ts (the SPA labels each one); others are allowed but
// shown with a generic label.
export type AuditType = KnownAuditType | (string & {});

export type AuditInput = {
  type: AuditType;
  userId?: string | null;
  reason?: string;
  sessionId?: string | null;
  device?: Partial<DeviceInfo>;
  detail?: Record<string, string | number | boolean | null>;
  /** The organization the event belongs to (shown in its activity). */
  orgId?: string | null;
  /** Who did it when not `userId` themself (an org admin, a platform admin). */
  actorId?: string | null;
  /** The platform admin behind an impersonation session. */
  impersonatorId?: string | null;
};

export async function recordAuditEvent(env: Env, event: AuditInput): Promise<void> {
  await db(env)
    .insert(auditEvents)
    .values({
      id: crypto.randomUUID(),
      userId: event.userId ?? null,
      type: event.type,
      reason: event.reason ?? null,
      sessionId: event.sessionId ?? null,
      ip: event.device?.ip ?? null,
      userAgent: event.device?.userAgent?.slice(0, 512) ?? null,
      country: event.device?.country ?? null,
      city: event.device?.city ?? null,
      detail: event.detail ? JSON.stringify(event.detail) : null,
      createdAt: clock.now(),
      orgId: event.orgId ?? null,
      actorId: event.actorId ?? null,
      impersonatorId: event.impersonatorId ?? null,
    });
}

/**
 * A user's events: about them, or done by them to others (an org change, an admin
 * action). Cursor = "<createdAt>.<id>" of the last row seen: stable under concurrent inserts.
 */
export function listAuditEvents(
  env: Env,
  userId: string,
  cursor: string | undefined,
  limit = 20,
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  return listEvents(env, or(eq(auditEvents.userId, userId), eq(auditEvents.actorId, userId))!, cursor, limit);
}

/** An organization's activity feed, same paging. */
export function listOrgAuditEvents(
  env: Env,
  orgId: string,
  cursor: string | undefined,
  limit = 20,
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  return listEvents(env, eq(auditEvents.orgId, orgId), cursor, limit);
}

async function listEvents(env: Env, scope: SQL, cursor: string | undefined, limit: number): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  const [at, id] = (cursor ?? "").split(".");
  const after =
    cursor && at && id && /^\d+$/.test(at)
      ? or(lt(auditEvents.createdAt, Number(at)), and(eq(auditEvents.createdAt, Number(at)), lt(auditEvents.id, id)))
      : undefined;
  const rows = await db(env)
    .select()
    .from(auditEvents)
    .where(after ? and(scope, after) : scope)
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { events: page, nextCursor: rows.length > limit && last ? `${last.createdAt}.${last.id}` : null };
}
