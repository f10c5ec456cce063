// The audit trail: security events in D1. Callers pass facts about the request (never
// secrets, codes or passwords); reading is paginated newest first by an opaque cursor.
import { and, desc, eq, lt, or } from "drizzle-orm";
import { clock } from "../clock";
import type { DeviceInfo } from "../model/session";
import type { KnownAuditType } from "./audit-types";
import { db } from "./db";
import { auditEvents, type AuditEvent } from "./schema";

// Known types live in audit-types.ts (the SPA labels each one); others are allowed but
// shown with a generic label.
export type AuditType = KnownAuditType | (string & {});
export { AUDIT_TYPES } from "./audit-types";

export type AuditInput = {
  type: AuditType;
  userId?: string | null;
  reason?: string;
  sessionId?: string | null;
  device?: Partial<DeviceInfo>;
  detail?: Record<string, string | number | boolean | null>;
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
    });
}

/** Cursor = "<createdAt>.<id>" of the last row seen: stable under concurrent inserts. */
export async function listAuditEvents(env: Env, userId: string, cursor: string | undefined, limit = 20): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  const [at, id] = (cursor ?? "").split(".");
  const after = cursor && at && id && /^\d+$/.test(at) ? or(lt(auditEvents.createdAt, Number(at)), and(eq(auditEvents.createdAt, Number(at)), lt(auditEvents.id, id))) : undefined;
  const rows = await db(env)
    .select()
    .from(auditEvents)
    .where(after ? and(eq(auditEvents.userId, userId), after) : eq(auditEvents.userId, userId))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { events: page, nextCursor: rows.length > limit && last ? `${last.createdAt}.${last.id}` : null };
}

/** Retention: drop events older than `before` (cron). */
export async function deleteAuditEventsBefore(env: Env, before: number): Promise<void> {
  await db(env).delete(auditEvents).where(lt(auditEvents.createdAt, before));
}
