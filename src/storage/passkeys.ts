// Passkeys (WebAuthn credentials) in D1. The only place that queries the passkeys table.
import { and, asc, eq, lt } from "drizzle-orm";
import { clock } from "../clock";
import { db } from "./db";
import { passkeys, type Passkey } from "./schema";

type NewPasskey = Omit<Passkey, "createdAt" | "lastUsedAt">;

/** False when the credential id is already registered (to anyone). */
export async function insertPasskey(env: Env, passkey: NewPasskey): Promise<Passkey | null> {
  const row: Passkey = { ...passkey, createdAt: clock.now(), lastUsedAt: null };
  try {
    await db(env).insert(passkeys).values(row);
  } catch (e) {
    if (String((e as Error)?.message ?? e).includes("UNIQUE")) return null;
    throw e;
  }
  return row;
}

export async function listPasskeys(env: Env, userId: string): Promise<Passkey[]> {
  return db(env).select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(asc(passkeys.createdAt)).all();
}

export async function findPasskeyByCredentialId(env: Env, credentialId: string): Promise<Passkey | null> {
  return (await db(env).select().from(passkeys).where(eq(passkeys.credentialId, credentialId)).get()) ?? null;
}

export async function renamePasskey(env: Env, userId: string, id: string, name: string): Promise<Passkey | null> {
  const row = await db(env)
    .update(passkeys)
    .set({ name })
    .where(and(eq(passkeys.userId, userId), eq(passkeys.id, id)))
    .returning()
    .get();
  return row ?? null;
}

/** The removed passkey, or null when the user has none with that id. */
export async function deletePasskey(env: Env, userId: string, id: string): Promise<Passkey | null> {
  return (
    (await db(env)
      .delete(passkeys)
      .where(and(eq(passkeys.userId, userId), eq(passkeys.id, id)))
      .returning()
      .get()) ?? null
  );
}

/**
 * Records a use. With a signature counter, only a higher counter is accepted, in the same
 * statement (of two parallel uses of one assertion, one changes the row); a counter that
 * stays 0 means the authenticator keeps none (synced passkeys), and is accepted.
 */
export async function recordPasskeyUse(env: Env, id: string, signCount: number, backedUp: boolean): Promise<boolean> {
  const result = await db(env)
    .update(passkeys)
    .set({ signCount, backedUp, lastUsedAt: clock.now() })
    .where(and(eq(passkeys.id, id), signCount === 0 ? eq(passkeys.signCount, 0) : lt(passkeys.signCount, signCount)))
    .run();
  return result.meta.changes === 1;
}
