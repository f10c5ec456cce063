// Disabling an account (an admin's decision, or the user's own deactivation): the one
// function every caller uses, so the two places that must agree always do. D1's
// users.disabled_at stops every sign-in; the user's SessionFence ends every session and
// refuses refresh and revocation checks (requireUser, RPC verifyAccessToken) from then on,
// without a D1 read on those hot paths.
import { clock } from "../clock";
import { recordAuditEvent } from "../storage/audit";
import { setUserDisabledAt } from "../storage/users";
import { sessionFence } from "./session";

/**
 * Disables `userId`: sign-in, refresh and every session-checked route refuse it at once.
 * Idempotent. `reason` goes to the audit trail ("admin", "deactivated", ...).
 * Returns false when there is no such user.
 */
export async function disableAccount(env: Env, userId: string, reason: string): Promise<boolean> {
  const now = clock.now();
  // The fence first: its sessions are cut off even if the D1 write below fails (retrying is safe).
  const ended = await sessionFence(env, userId).disable(now);
  if (!(await setUserDisabledAt(env, userId, now))) {
    await sessionFence(env, userId).enable();
    return false;
  }
  await recordAuditEvent(env, { type: "account.disabled", userId, reason, detail: { endedSessions: ended.length } }).catch((e) =>
    console.error("[audit] account.disabled", e),
  );
  return true;
}

/** Undoes `disableAccount`: the user can sign in again (ended sessions stay ended). */
export async function enableAccount(env: Env, userId: string, reason: string): Promise<boolean> {
  if (!(await setUserDisabledAt(env, userId, null))) return false;
  await sessionFence(env, userId).enable();
  await recordAuditEvent(env, { type: "account.enabled", userId, reason }).catch((e) => console.error("[audit] account.enabled", e));
  return true;
}
