// Which account a password sign-in is for: by email, or by username. Both paths do the
// same work (one D1 read, then one hash whether or not the account exists), so a
// username sign-in says no more about which usernames exist than an email one does.
import { findUserWithPasswordByUsername } from "../storage/profile";
import type { User } from "../storage/schema";
import { findUserWithPassword } from "../storage/users";

/** Exactly one of email and username (the route's schema checks it). */
export type PasswordSignIn = { email?: string; username?: string };

export type PasswordAccount = {
  found: { user: User; passwordHash: string | null } | null;
  /**
   * The key of the per-account failure throttle (src/auth/lockout.ts). One account has
   * one budget whatever name it is signed in with, so its email when it has one; an
   * unknown username is throttled under its own name, exactly like an unknown email.
   */
  throttleKey: string;
};

export async function findPasswordAccount(env: Env, input: PasswordSignIn): Promise<PasswordAccount> {
  if (input.email !== undefined) return { found: await findUserWithPassword(env, input.email), throttleKey: input.email };
  const username = input.username ?? "";
  const found = await findUserWithPasswordByUsername(env, username);
  return { found, throttleKey: found?.user.email ?? `username:${username}` };
}
