// Phone identities in D1: provider "phone", subject = E.164 number, unique per number.
// The only place that reads or writes them.
import { and, eq, isNotNull } from "drizzle-orm";
import { clock } from "../clock";
import { db } from "./db";
import { identities, passwordCredentials, users, type Identity, type User } from "./schema";
import { EMPTY_PROFILE, normalizeEmail } from "./users";

const PHONE = "phone";
const isUniqueViolation = (e: unknown) => String((e as Error)?.message ?? e).includes("UNIQUE");

/** The user whose verified phone this is, if any. */
export async function findUserByPhone(env: Env, e164: string): Promise<User | null> {
  const row = await db(env)
    .select({ user: users })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.provider, PHONE), eq(identities.subject, e164), isNotNull(identities.verifiedAt)))
    .get();
  return row?.user ?? null;
}

export async function findUserPhone(env: Env, userId: string): Promise<Identity | null> {
  return (
    (await db(env)
      .select()
      .from(identities)
      .where(and(eq(identities.userId, userId), eq(identities.provider, PHONE)))
      .get()) ?? null
  );
}

/**
 * Finishes a phone sign-up: the user (email verified), the phone identity and, when one
 * was chosen, the password — in ONE D1 batch, so there is never a half-created user.
 * Null when the phone or email was taken meanwhile (a unique index refused it).
 */
export async function createPhoneAccount(env: Env, input: { id: string; phone: string; email: string; passwordHash: string | null }): Promise<User | null> {
  const now = clock.now();
  const user: User = {
    id: input.id,
    email: normalizeEmail(input.email),
    emailVerifiedAt: now,
    name: null,
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
    ...EMPTY_PROFILE,
    isPlatformAdmin: false,
  };
  const d = db(env);
  const phone = d
    .insert(identities)
    .values({ id: crypto.randomUUID(), userId: user.id, provider: PHONE, subject: input.phone, verifiedAt: now, createdAt: now });
  try {
    if (input.passwordHash)
      await d.batch([d.insert(users).values(user), phone, d.insert(passwordCredentials).values({ userId: user.id, hash: input.passwordHash, updatedAt: now })]);
    else await d.batch([d.insert(users).values(user), phone]);
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
  return user;
}

/** Sets the user's verified phone, replacing any earlier one, in one batch. "taken": another account has it. */
export async function replaceUserPhone(env: Env, userId: string, e164: string): Promise<"ok" | "taken"> {
  const now = clock.now();
  const d = db(env);
  try {
    await d.batch([
      d.delete(identities).where(and(eq(identities.userId, userId), eq(identities.provider, PHONE))),
      d.insert(identities).values({ id: crypto.randomUUID(), userId, provider: PHONE, subject: e164, verifiedAt: now, createdAt: now }),
    ]);
  } catch (e) {
    if (isUniqueViolation(e)) return "taken";
    throw e;
  }
  return "ok";
}

export async function touchPhoneIdentity(env: Env, e164: string): Promise<void> {
  await db(env)
    .update(identities)
    .set({ lastUsedAt: clock.now() })
    .where(and(eq(identities.provider, PHONE), eq(identities.subject, e164)));
}
