// The profile columns of `users` (migrations/0003_profile.sql): username, language, time
// zone, avatar, notice choices, and the account's lifecycle (deactivated, deletion due).
// The only place that writes them; every write invalidates the profile cache of GET
// /api/me (src/storage/profile-cache.ts). Uniqueness of usernames is decided by the D1 unique
// index, never by a read-then-write: 20 parallel claims of one name give one success.
import { and, eq, gt, isNotNull, isNull, lte, or } from "drizzle-orm";
import { clock } from "../clock";
import { db } from "./db";
import { invalidateProfile } from "./profile-cache";
import { passwordCredentials, users, type User } from "./schema";

// drizzle wraps a failed statement (DrizzleQueryError); D1's own message is on the cause.
const isUniqueViolation = (e: unknown): boolean =>
  String((e as Error)?.message ?? e).includes("UNIQUE") || (e instanceof Error && e.cause !== undefined && isUniqueViolation(e.cause));

export type ProfilePatch = Partial<Pick<User, "name" | "username" | "locale" | "timeZone">>;

/** Applies the patch; "username_taken" when the unique index refused the username (nothing changed). */
export async function updateProfile(env: Env, userId: string, patch: ProfilePatch): Promise<"ok" | "username_taken"> {
  if (Object.keys(patch).length === 0) return "ok";
  try {
    await db(env)
      .update(users)
      .set({ ...patch, updatedAt: clock.now() })
      .where(eq(users.id, userId));
  } catch (e) {
    if (isUniqueViolation(e)) return "username_taken";
    throw e;
  }
  invalidateProfile(env, userId);
  return "ok";
}

/** Same shape as findUserWithPassword (by email), for sign-in with a username. */
export async function findUserWithPasswordByUsername(env: Env, username: string): Promise<{ user: User; passwordHash: string | null } | null> {
  const row = await db(env)
    .select({ user: users, passwordHash: passwordCredentials.hash })
    .from(users)
    .leftJoin(passwordCredentials, eq(passwordCredentials.userId, users.id))
    .where(eq(users.username, username))
    .get();
  return row ?? null;
}

/** Sets (or clears) the avatar key; returns the key it replaced, whose object the caller deletes. */
export async function replaceAvatarKey(env: Env, userId: string, key: string | null): Promise<string | null> {
  // One D1 batch (a transaction) reads the old key and writes the new one, so of two
  // parallel uploads each learns exactly which object it replaced: none is orphaned.
  const [old] = await env.DB.batch<{ old: string | null }>([
    env.DB.prepare("select avatar_key as old from users where id = ?1").bind(userId),
    env.DB.prepare("update users set avatar_key = ?1, updated_at = ?2 where id = ?3").bind(key, clock.now(), userId),
  ]);
  invalidateProfile(env, userId);
  return old?.results[0]?.old ?? null;
}

export async function setNotificationPrefs(env: Env, userId: string, json: string): Promise<void> {
  await db(env).update(users).set({ notificationPrefs: json, updatedAt: clock.now() }).where(eq(users.id, userId));
  invalidateProfile(env, userId);
}

/** The user switched the account off; false if it already was. */
export async function markDeactivated(env: Env, userId: string): Promise<boolean> {
  const now = clock.now();
  const result = await db(env)
    .update(users)
    .set({ deactivatedAt: now, updatedAt: now })
    .where(and(eq(users.id, userId), isNull(users.deactivatedAt)))
    .run();
  invalidateProfile(env, userId);
  return (result.meta.changes ?? 0) > 0;
}

/** Switches a deactivated account back on; false if it was not deactivated (single use of a reactivation). */
export async function clearDeactivated(env: Env, userId: string): Promise<boolean> {
  const result = await db(env)
    .update(users)
    .set({ deactivatedAt: null, updatedAt: clock.now() })
    .where(and(eq(users.id, userId), isNotNull(users.deactivatedAt)))
    .run();
  invalidateProfile(env, userId);
  return (result.meta.changes ?? 0) > 0;
}

/** Schedules the deletion (keeps an earlier schedule: asking twice does not push it back). Returns the time in force. */
export async function scheduleDeletion(env: Env, userId: string, at: number): Promise<number | null> {
  await db(env)
    .update(users)
    .set({ deletionScheduledAt: at, updatedAt: clock.now() })
    .where(and(eq(users.id, userId), isNull(users.deletionScheduledAt)));
  invalidateProfile(env, userId);
  const row = await db(env).select({ at: users.deletionScheduledAt }).from(users).where(eq(users.id, userId)).get();
  return row?.at ?? null;
}

/** Cancels a scheduled deletion; false if none was scheduled. */
export async function cancelDeletion(env: Env, userId: string): Promise<boolean> {
  const result = await db(env)
    .update(users)
    .set({ deletionScheduledAt: null, updatedAt: clock.now() })
    .where(and(eq(users.id, userId), isNotNull(users.deletionScheduledAt)))
    .run();
  invalidateProfile(env, userId);
  return (result.meta.changes ?? 0) > 0;
}

/** Accounts due for the purge (deletion time reached, or deactivated before `deactivatedBefore`), by id after `afterId`. */
export async function usersDueForPurge(env: Env, now: number, deactivatedBefore: number, limit: number, afterId = ""): Promise<User[]> {
  return db(env)
    .select()
    .from(users)
    .where(and(gt(users.id, afterId), or(lte(users.deletionScheduledAt, now), lte(users.deactivatedAt, deactivatedBefore))))
    .orderBy(users.id)
    .limit(limit)
    .all();
}
