// Identities (OAuth/OIDC accounts, phones) in D1, keyed by (provider, subject).
import { and, eq, sql } from "drizzle-orm";
import { clock } from "../clock";
import { db } from "./db";
import { EMPTY_PROFILE } from "./users";
import { identities, passwordCredentials, users, type Identity, type User } from "./schema";

export type IdentityFacts = { provider: string; subject: string; email: string | null; emailVerified: boolean };

const isUniqueViolation = (e: unknown) => String((e as Error)?.message ?? e).includes("UNIQUE");

export async function findIdentityWithUser(env: Env, provider: string, subject: string): Promise<{ identity: Identity; user: User } | null> {
  const row = await db(env)
    .select({ identity: identities, user: users })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.provider, provider), eq(identities.subject, subject)))
    .get();
  return row ?? null;
}

function identityRow(userId: string, facts: IdentityFacts, now: number) {
  return {
    id: crypto.randomUUID(),
    userId,
    provider: facts.provider,
    subject: facts.subject,
    email: facts.email,
    emailVerified: facts.emailVerified,
    verifiedAt: now,
    createdAt: now,
    lastUsedAt: now,
  };
}

/**
 * A new user and their first identity in one D1 batch (no half-created users). Null when
 * the email or the (provider, subject) pair was taken meanwhile by a concurrent request.
 */
export async function createUserWithIdentity(
  env: Env,
  input: { id: string; email: string | null; emailVerified: boolean; name: string | null; identity: IdentityFacts },
): Promise<User | null> {
  const now = clock.now();
  const user: User = {
    id: input.id,
    email: input.email,
    emailVerifiedAt: input.email && input.emailVerified ? now : null,
    name: input.name,
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
    ...EMPTY_PROFILE,
    isPlatformAdmin: false,
  };
  const d = db(env);
  try {
    await d.batch([d.insert(users).values(user), d.insert(identities).values(identityRow(user.id, input.identity, now))]);
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
  return user;
}

/** Links an identity to an existing user; false when (provider, subject) is already taken. */
export async function addIdentity(env: Env, userId: string, facts: IdentityFacts): Promise<boolean> {
  try {
    await db(env)
      .insert(identities)
      .values(identityRow(userId, facts, clock.now()));
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

/** Keeps the provider's latest email facts and when it was last used. */
export async function touchIdentity(env: Env, id: string, email: string | null, emailVerified: boolean): Promise<void> {
  await db(env).update(identities).set({ email, emailVerified, lastUsedAt: clock.now() }).where(eq(identities.id, id));
}

export async function listIdentities(env: Env, userId: string): Promise<Identity[]> {
  return db(env).select().from(identities).where(eq(identities.userId, userId)).orderBy(identities.createdAt).all();
}

/** The providers of the user's identities ("phone" for phones), for the phone policy. */
export async function identityProvidersOf(env: Env, userId: string): Promise<string[]> {
  const rows = await db(env).selectDistinct({ provider: identities.provider }).from(identities).where(eq(identities.userId, userId)).all();
  return rows.map((r) => r.provider);
}

export type UnlinkResult = { ok: true; provider: string; subject: string } | { ok: false; reason: "last" | "not_found" };

/**
 * Unlinks an identity unless it is the user's last way to sign in. The check and the
 * delete are ONE statement, so two parallel unlinks cannot both remove "the other one".
 * Says what was removed, for the owner's notice.
 */
export async function deleteIdentityUnlessLast(env: Env, userId: string, identityId: string): Promise<UnlinkResult> {
  const d = db(env);
  const existing = await d
    .select({ provider: identities.provider, subject: identities.subject })
    .from(identities)
    .where(and(eq(identities.id, identityId), eq(identities.userId, userId)))
    .get();
  if (!existing) return { ok: false, reason: "not_found" };
  const result = await d
    .delete(identities)
    .where(
      and(
        eq(identities.id, identityId),
        eq(identities.userId, userId),
        sql`(exists (select 1 from ${passwordCredentials} where ${passwordCredentials.userId} = ${userId})
             or (select count(*) from ${identities} i2 where i2.user_id = ${userId} and i2.id <> ${identityId}) > 0)`,
      ),
    )
    .run();
  if (result.meta.changes > 0) return { ok: true, ...existing };
  // Nothing deleted: it was the last method, or a parallel unlink of the same id won.
  const still = await d
    .select({ id: identities.id })
    .from(identities)
    .where(and(eq(identities.id, identityId), eq(identities.userId, userId)))
    .get();
  return { ok: false, reason: still ? "last" : "not_found" };
}
