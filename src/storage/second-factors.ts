// The authenticator-app (TOTP) credential and recovery codes in D1. The only place that
// queries these tables. Secrets arrive here already sealed (ciphertext) or hashed.
import { and, count, eq, isNotNull, isNull } from "drizzle-orm";
import { clock } from "../clock";
import { db } from "./db";
import { passkeys, recoveryCodes, totpCredentials } from "./schema";

type TotpRow = typeof totpCredentials.$inferSelect;

export async function findTotp(env: Env, userId: string): Promise<TotpRow | null> {
  return (await db(env).select().from(totpCredentials).where(eq(totpCredentials.userId, userId)).get()) ?? null;
}

/**
 * Stores a pending (unconfirmed) secret, replacing an earlier pending one. Never touches a
 * confirmed credential: returns false when the user already has one.
 */
export async function savePendingTotp(env: Env, userId: string, secretCiphertext: string): Promise<boolean> {
  const now = clock.now();
  const result = await db(env)
    .insert(totpCredentials)
    .values({ userId, secretCiphertext, confirmedAt: null, createdAt: now })
    .onConflictDoUpdate({ target: totpCredentials.userId, set: { secretCiphertext, createdAt: now }, setWhere: isNull(totpCredentials.confirmedAt) })
    .run();
  return result.meta.changes === 1;
}

/**
 * Confirms the pending secret and replaces every recovery code with `codeHashes`, in one
 * batch. False when there was nothing pending (a concurrent confirm won).
 */
export async function confirmTotp(env: Env, userId: string, secretCiphertext: string, codeHashes: string[]): Promise<boolean> {
  const now = clock.now();
  const d = db(env);
  const [confirmed] = await d.batch([
    d
      .update(totpCredentials)
      .set({ confirmedAt: now })
      .where(and(eq(totpCredentials.userId, userId), eq(totpCredentials.secretCiphertext, secretCiphertext), isNull(totpCredentials.confirmedAt))),
    d.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
  ]);
  if (confirmed.meta.changes !== 1) return false;
  await insertRecoveryCodes(env, userId, codeHashes, now);
  return true;
}

/** Turns two-step verification off: the authenticator app and its recovery codes go together. */
export async function deleteTotp(env: Env, userId: string): Promise<boolean> {
  const d = db(env);
  const [removed] = await d.batch([
    d.delete(totpCredentials).where(and(eq(totpCredentials.userId, userId), isNotNull(totpCredentials.confirmedAt))),
    d.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
  ]);
  return removed.meta.changes > 0;
}

/** The old set dies and the new one lives, in one batch. */
export async function replaceRecoveryCodes(env: Env, userId: string, codeHashes: string[]): Promise<void> {
  const now = clock.now();
  const d = db(env);
  await d.batch([
    d.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    ...codeHashes.map((codeHash) => d.insert(recoveryCodes).values({ id: crypto.randomUUID(), userId, codeHash, createdAt: now })),
  ]);
}

async function insertRecoveryCodes(env: Env, userId: string, codeHashes: string[], now: number): Promise<void> {
  const d = db(env);
  const [first, ...rest] = codeHashes.map((codeHash) => d.insert(recoveryCodes).values({ id: crypto.randomUUID(), userId, codeHash, createdAt: now }));
  if (first) await d.batch([first, ...rest]);
}

/**
 * Spends one recovery code. One UPDATE ... WHERE used_at IS NULL: D1 runs statements one
 * at a time, so of any number of parallel uses of one code exactly one changes the row.
 */
export async function useRecoveryCode(env: Env, userId: string, codeHash: string): Promise<boolean> {
  const result = await db(env)
    .update(recoveryCodes)
    .set({ usedAt: clock.now() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .run();
  return result.meta.changes === 1;
}

export async function countRecoveryCodesLeft(env: Env, userId: string): Promise<number> {
  const row = await db(env)
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .get();
  return row?.n ?? 0;
}

/** What second factors the account has: decides whether a sign-in needs a second step. */
export async function secondFactorsOf(env: Env, userId: string): Promise<{ totp: boolean; passkeys: number; recoveryCodesLeft: number }> {
  const d = db(env);
  const [totp, keys, codes] = await d.batch([
    d
      .select({ n: count() })
      .from(totpCredentials)
      .where(and(eq(totpCredentials.userId, userId), isNotNull(totpCredentials.confirmedAt))),
    d.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId)),
    d
      .select({ n: count() })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))),
  ]);
  return { totp: (totp[0]?.n ?? 0) > 0, passkeys: keys[0]?.n ?? 0, recoveryCodesLeft: codes[0]?.n ?? 0 };
}

/** Every second factor of the user goes (an administrator's reset): app, recovery codes, passkeys. */
export async function deleteAllSecondFactors(env: Env, userId: string): Promise<{ totp: boolean; passkeys: number }> {
  const d = db(env);
  const [totp, , keys] = await d.batch([
    d.delete(totpCredentials).where(eq(totpCredentials.userId, userId)),
    d.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    d.delete(passkeys).where(eq(passkeys.userId, userId)),
  ]);
  return { totp: totp.meta.changes > 0, passkeys: keys.meta.changes };
}
