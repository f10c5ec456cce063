// Disabling an account (a platform admin's decision): the one function every caller uses.
// D1's users.disabled_at stops every sign-in; the user's SessionFence ends every session and
// refuses refresh and revocation checks (requireUser, RPC verifyAccessToken) from then on,
// without a D1 read on those hot paths. The caller audits (src/http/audit.ts).
import { clock } from "../clock";
import { setUserDisabledAt } from "../storage/users";
import { sessionFence } from "./session";

/**
 * Disables `userId`: sign-in, refresh and every session-checked route refuse it at once.
 * Idempotent. null when there is no such user (and nothing is left changed).
 */
export async function disableAccount(env: Env, userId: string): Promise<{ endedSessions: number } | null> {
  const now = clock.now();
  // The fence first: its sessions are cut off even if the D1 write below fails (retrying is safe).
  const ended = await sessionFence(env, userId).disable(now);
  if (!(await setUserDisabledAt(env, userId, now))) {
    await sessionFence(env, userId).enable();
    return null;
  }
  return { endedSessions: ended.length };
}

/** Undoes `disableAccount`: the user can sign in again (ended sessions stay ended). */
export async function enableAccount(env: Env, userId: string): Promise<boolean> {
  if (!(await setUserDisabledAt(env, userId, null))) return false;
  await sessionFence(env, userId).enable();
  return true;
}
