// "Fresh sign-in" for sensitive changes (adding, linking, unlinking or changing a sign-in
// method): the person must have proved who they are in this session recently. The access
// token's iat is not enough: every refresh mints a new access token, so iat says nothing
// about when the person last signed in. The session record's authenticatedAt does: it is
// set by the sign-in and only moved by a re-authentication.
import { clock } from "../clock";
import { config } from "../config";
import type { SessionRecord } from "../model/session";
import { findSession } from "./session";

export type Freshness = "fresh" | "stale" | "ended";

/** How recent the sign-in must be, in seconds (REAUTH_WINDOW_SECONDS, default 300): the one place that reads it. */
export function freshWindowSeconds(env: Env): number {
  return config(env).reauthWindowSeconds;
}

/**
 * "ended": the session is over (revoked or expired); "stale": live, but the sign-in is older
 * than the window. `known`: the live record the caller already read from the fence in this
 * request (requireUser does), so the fence is not asked twice.
 */
export async function signInFreshness(env: Env, userId: string, sessionId: string, known?: SessionRecord): Promise<Freshness> {
  const session = known ?? (await findSession(env, userId, sessionId));
  if (session === null) return "ended";
  const signedInAt = session.authenticatedAt ?? session.createdAt;
  return clock.now() - signedInAt <= freshWindowSeconds(env) * 1000 ? "fresh" : "stale";
}
