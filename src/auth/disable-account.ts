// Disabling an account (platform admin): mark it disabled and end every session at
// once (the SessionFence revokes them all in one call, so no refresh succeeds after).
// Sign-in paths already refuse disabled accounts. One small function so the whole
// service disables the same way. (harden-platform may bring its own `disableAccount`;
// point this at it when it lands.)
import { setUserDisabled } from "../storage/admin-users";
import { endAllSessions } from "./session";

export async function disableAccount(env: Env, userId: string): Promise<{ endedSessions: string[] } | null> {
  if (!(await setUserDisabled(env, userId, true))) return null;
  return { endedSessions: await endAllSessions(env, userId) };
}

export function enableAccount(env: Env, userId: string): Promise<boolean> {
  return setUserDisabled(env, userId, false);
}
