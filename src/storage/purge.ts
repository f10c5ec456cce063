// Deletions run by the daily cron (src/auth/maintenance.ts). Each returns how many rows went.
import { and, isNotNull, isNull, lt, notExists, eq } from "drizzle-orm";
import { db } from "./db";
import { invalidateProfile } from "./profile-cache";
import { auditEvents, emailChanges, identities, passwordCredentials, passwordHistory, users } from "./schema";

export async function purgeAuditEventsBefore(env: Env, before: number): Promise<number> {
  const result = await db(env).delete(auditEvents).where(lt(auditEvents.createdAt, before)).run();
  return result.meta.changes ?? 0;
}

/**
 * Email accounts never verified, created before `before`, with no other way to sign in
 * (no phone or OAuth identity). Their password credentials go with them (ON DELETE CASCADE).
 */
export async function purgeUnverifiedUsersBefore(env: Env, before: number): Promise<number> {
  const d = db(env);
  const result = await d
    .delete(users)
    .where(
      and(
        isNotNull(users.email),
        isNull(users.emailVerifiedAt),
        lt(users.createdAt, before),
        notExists(d.select({ one: identities.id }).from(identities).where(eq(identities.userId, users.id))),
      ),
    )
    .run();
  return result.meta.changes ?? 0;
}

// ---------------------------------------------------------------------------
// Deleted accounts (src/auth/account-purge.ts). D1 caps a statement's run time and a
// batch's size, so audit rows are anonymised in chunks; the user row goes last, so a
// purge cut short is simply done again by the next run (everything here is idempotent).

const AUDIT_CHUNK = 500;

/**
 * Replaces the user id of their audit rows with `anonymousId` and drops every personal
 * fact (IP, user agent, place, session, detail); the event type, reason and time stay,
 * so the trail still counts what happened. One chunk per call: returns the rows changed.
 */
export async function anonymizeAuditChunk(env: Env, userId: string, anonymousId: string): Promise<number> {
  const result = await env.DB.prepare(
    "update audit_events set user_id = ?1, ip = null, user_agent = null, country = null, city = null, session_id = null, detail = null where rowid in (select rowid from audit_events where user_id = ?2 limit ?3)",
  )
    .bind(anonymousId, userId, AUDIT_CHUNK)
    .run();
  return result.meta.changes ?? 0;
}

/** The user row and every row that hangs off it, in one batch (all or nothing). */
export async function deleteUserRows(env: Env, userId: string): Promise<boolean> {
  const d = db(env);
  const results = await d.batch([
    d.delete(passwordHistory).where(eq(passwordHistory.userId, userId)),
    d.delete(passwordCredentials).where(eq(passwordCredentials.userId, userId)),
    d.delete(identities).where(eq(identities.userId, userId)),
    d.delete(emailChanges).where(eq(emailChanges.userId, userId)),
    d.delete(users).where(eq(users.id, userId)),
  ]);
  invalidateProfile(env, userId);
  return (results.at(-1)?.meta.changes ?? 0) > 0;
}
