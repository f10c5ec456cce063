// Email changes in D1 (table email_changes): the change itself, applied in one batch with
// its revert record, and the revert, whose single use is decided inside one D1 batch
// (a transaction): of any number of parallel reverts, one changes the row.
import { and, eq, isNull, ne } from "drizzle-orm";
import { clock } from "../clock";
import { db } from "./db";
import { invalidateProfile } from "./profile-cache";
import { emailChanges, users, type EmailChange } from "./schema";

const isUniqueViolation = (e: unknown): boolean =>
  String((e as Error)?.message ?? e).includes("UNIQUE") || (e instanceof Error && e.cause !== undefined && isUniqueViolation(e.cause));

/**
 * Moves the account to `newEmail` (verified: its code came back) and records how to undo
 * it. "taken": the unique index refused the address (another account has it); nothing changed.
 */
export async function applyEmailChange(
  env: Env,
  input: { userId: string; oldEmail: string | null; newEmail: string; revertTokenHash: string; revertExpiresAt: number },
): Promise<"ok" | "taken"> {
  const now = clock.now();
  const d = db(env);
  try {
    await d.batch([
      d.update(users).set({ email: input.newEmail, emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, input.userId)),
      d.insert(emailChanges).values({
        id: crypto.randomUUID(),
        userId: input.userId,
        oldEmail: input.oldEmail,
        newEmail: input.newEmail,
        revertTokenHash: input.revertTokenHash,
        createdAt: now,
        revertExpiresAt: input.revertExpiresAt,
      }),
    ]);
  } catch (e) {
    if (isUniqueViolation(e)) return "taken";
    throw e;
  }
  invalidateProfile(env, input.userId);
  return "ok";
}

export async function findEmailChangeByToken(env: Env, tokenHash: string): Promise<EmailChange | null> {
  return (await db(env).select().from(emailChanges).where(eq(emailChanges.revertTokenHash, tokenHash)).get()) ?? null;
}

export type RevertOutcome = "reverted" | "used" | "taken";

/**
 * Spends the revert and puts the old address back, atomically: the first statement claims
 * the row only if it is unspent and unexpired; the second restores the email only if that
 * claim changed a row (SQLite changes()). "taken": the old address now belongs to another
 * account; the batch rolled back, so the link still works once that is sorted out.
 */
export async function revertEmailChange(env: Env, change: EmailChange): Promise<RevertOutcome> {
  const now = clock.now();
  try {
    const [claim] = await env.DB.batch([
      env.DB.prepare("update email_changes set reverted_at = ?1 where id = ?2 and reverted_at is null and revert_expires_at > ?1").bind(now, change.id),
      env.DB.prepare("update users set email = ?1, email_verified_at = ?2, updated_at = ?2 where id = ?3 and changes() = 1").bind(
        change.oldEmail,
        now,
        change.userId,
      ),
    ]);
    if ((claim?.meta.changes ?? 0) !== 1) return "used";
    invalidateProfile(env, change.userId);
  } catch (e) {
    if (isUniqueViolation(e)) return "taken";
    throw e;
  }
  // Links of the other changes of this account die with it: a hijacker who moved the
  // account on again must not be able to revert back to their own address.
  await db(env)
    .update(emailChanges)
    .set({ revertedAt: now })
    .where(and(eq(emailChanges.userId, change.userId), ne(emailChanges.id, change.id), isNull(emailChanges.revertedAt)));
  return "reverted";
}

export async function listEmailChanges(env: Env, userId: string): Promise<EmailChange[]> {
  return db(env).select().from(emailChanges).where(eq(emailChanges.userId, userId)).orderBy(emailChanges.createdAt).all();
}
