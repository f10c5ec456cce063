// Users and their password credentials in D1. The only place that queries these tables.
import { and, desc, eq, isNull, notExists, notInArray } from "drizzle-orm";
import { clock } from "../clock";
import { db } from "./db";
import { invalidateProfile, readThroughProfileCache } from "./profile-cache";
import { identities, passwordCredentials, passwordHistory, users, type User } from "./schema";

/** The profile columns of a user row just created: all empty until the user sets them. */
export const EMPTY_PROFILE = {
  username: null,
  locale: null,
  timeZone: null,
  avatarKey: null,
  deactivatedAt: null,
  deletionScheduledAt: null,
  notificationPrefs: null,
} as const satisfies Partial<User>;

/** Lower-cased and trimmed: the key that makes email uniqueness case-insensitive. */
export function normalizeEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

export async function findUserByEmail(env: Env, email: string): Promise<User | null> {
  const row = await db(env)
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .get();
  return row ?? null;
}

export async function findUserById(env: Env, id: string): Promise<User | null> {
  return (await db(env).select().from(users).where(eq(users.id, id)).get()) ?? null;
}

/** findUserById through the profile cache: up to 30 s stale (src/storage/profile-cache.ts). For display only. */
export function findUserProfile(env: Env, id: string): Promise<User | null> {
  return readThroughProfileCache(id, () => findUserById(env, id));
}

export async function findUserWithPassword(env: Env, email: string): Promise<{ user: User; passwordHash: string | null } | null> {
  const row = await db(env)
    .select({ user: users, passwordHash: passwordCredentials.hash })
    .from(users)
    .leftJoin(passwordCredentials, eq(passwordCredentials.userId, users.id))
    .where(eq(users.email, normalizeEmail(email)))
    .get();
  return row ?? null;
}

export async function getPasswordHash(env: Env, userId: string): Promise<string | null> {
  const row = await db(env).select({ hash: passwordCredentials.hash }).from(passwordCredentials).where(eq(passwordCredentials.userId, userId)).get();
  return row?.hash ?? null;
}

/** When the password was last set (null: the account has none). For the data export. */
export async function getPasswordUpdatedAt(env: Env, userId: string): Promise<number | null> {
  const row = await db(env).select({ at: passwordCredentials.updatedAt }).from(passwordCredentials).where(eq(passwordCredentials.userId, userId)).get();
  return row?.at ?? null;
}

/**
 * Creates an account whose email was just proven, with the prover's own password, in one
 * D1 batch (all or nothing). An UNVERIFIED account holding the address (registered before
 * registrations waited for their own code) is released first: deleted with its password
 * if it has no other way to sign in, otherwise it loses the address. Nobody proved that
 * mailbox for it, and keeping its password would let whoever set it in (pre-hijacking).
 * Returns null when a verified account has the address.
 */
export async function createVerifiedUser(env: Env, input: { id: string; email: string; name: string | null; passwordHash: string }): Promise<User | null> {
  const now = clock.now();
  const email = normalizeEmail(input.email);
  const user: User = {
    id: input.id,
    email,
    emailVerifiedAt: now,
    name: input.name,
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
    ...EMPTY_PROFILE,
    isPlatformAdmin: false,
  };
  const d = db(env);
  const unverifiedHolder = and(eq(users.email, email), isNull(users.emailVerifiedAt));
  try {
    await d.batch([
      d.delete(users).where(and(unverifiedHolder, notExists(d.select({ one: identities.id }).from(identities).where(eq(identities.userId, users.id))))),
      d.update(users).set({ email: null, updatedAt: now }).where(unverifiedHolder),
      d.insert(users).values(user),
      d.insert(passwordCredentials).values({ userId: user.id, hash: input.passwordHash, updatedAt: now }),
    ]);
  } catch (e) {
    if (String((e as Error)?.message ?? e).includes("UNIQUE")) return null;
    throw e;
  }
  return user;
}

export async function markEmailVerified(env: Env, userId: string): Promise<void> {
  const now = clock.now();
  await db(env)
    .update(users)
    .set({ emailVerifiedAt: now, updatedAt: now })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
  invalidateProfile(env, userId);
}

/** How many earlier passwords are kept to refuse reuse. */
export const PASSWORD_HISTORY_SIZE = 5;

/** Earlier password hashes, newest first (the current one is not included). */
export async function previousPasswordHashes(env: Env, userId: string): Promise<string[]> {
  const rows = await db(env)
    .select({ hash: passwordHistory.hash })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, userId))
    .orderBy(desc(passwordHistory.createdAt), desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY_SIZE - 1)
    .all();
  return rows.map((r) => r.hash);
}

/**
 * Sets a new password and moves the old hash into history, in one batch. Together with
 * the current hash, history covers the last PASSWORD_HISTORY_SIZE passwords.
 */
export async function replacePassword(env: Env, userId: string, oldHash: string | null, newHash: string): Promise<void> {
  const now = clock.now();
  const d = db(env);
  const newest = d
    .select({ id: passwordHistory.id })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, userId))
    .orderBy(desc(passwordHistory.createdAt), desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY_SIZE - 1);
  const setPassword = d
    .insert(passwordCredentials)
    .values({ userId, hash: newHash, updatedAt: now })
    .onConflictDoUpdate({ target: passwordCredentials.userId, set: { hash: newHash, updatedAt: now } });
  const trimHistory = d.delete(passwordHistory).where(and(eq(passwordHistory.userId, userId), notInArray(passwordHistory.id, newest)));
  if (oldHash) await d.batch([d.insert(passwordHistory).values({ userId, hash: oldHash, createdAt: now }), trimHistory, setPassword]);
  else await d.batch([trimHistory, setPassword]);
}

/** Rehash on login when parameters changed: no history entry, same password. */
export async function updatePasswordHash(env: Env, userId: string, newHash: string): Promise<void> {
  await db(env).update(passwordCredentials).set({ hash: newHash, updatedAt: clock.now() }).where(eq(passwordCredentials.userId, userId));
}

/** Sets or clears users.disabled_at (an admin's disable: src/auth/account-status.ts keeps the session fence in step). */
export async function setUserDisabledAt(env: Env, userId: string, disabledAt: number | null): Promise<boolean> {
  const row = await db(env).update(users).set({ disabledAt, updatedAt: clock.now() }).where(eq(users.id, userId)).returning({ id: users.id }).get();
  invalidateProfile(env, userId);
  return row !== undefined;
}

export async function pingDatabase(env: Env): Promise<void> {
  await env.DB.prepare("select 1").first();
}
