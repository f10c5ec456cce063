// Deletions run by the daily cron (src/auth/maintenance.ts). Each returns how many rows went.
import { and, isNotNull, isNull, lt, notExists, eq } from "drizzle-orm";
import { db } from "./db";
import { auditEvents, identities, users } from "./schema";

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
