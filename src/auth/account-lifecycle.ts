// The account's life as its owner decides it (README "Deactivation", "Deletion"):
// deactivated (sessions end; a sign-in within 30 days offers to reactivate), and deletion
// scheduled (14 days of grace, then the purge job removes everything). An admin's
// disabling (users.disabled_at) is separate and stronger: nothing here undoes it.
import { clock } from "../clock";
import { clearDeactivated } from "../storage/profile";
import type { User } from "../storage/schema";
import { findUserById } from "../storage/users";
import { getJson, kvKeys, putJson } from "../storage/kv";
import { randomToken, sha256Hex } from "./secrets";
import { finishFirstFactor, type FirstFactorResult, type SignInContext } from "./sign-in";
import { ID } from "../model/ids";

const DAY_MS = 86400 * 1000;
export const REACTIVATION_WINDOW_MS = 30 * DAY_MS;
export const DELETION_GRACE_MS = 14 * DAY_MS;
/** How long the "reactivate?" answer stays usable after a right password or code. */
export const REACTIVATION_TOKEN_TTL_MS = 10 * 60 * 1000;

/** Past this time a deactivated account can no longer come back: the purge job takes it. */
export const reactivationDeadline = (user: Pick<User, "deactivatedAt">) => (user.deactivatedAt ?? 0) + REACTIVATION_WINDOW_MS;

export type Reactivation = { userId: string; method: string };

/**
 * The person just proved who they are (right password, or a sign-in code) on a
 * deactivated account: a token that, POSTed to /api/auth/reactivate, switches the
 * account back on and signs in. Null when the 30 days are over.
 */
export async function offerReactivation(env: Env, user: User, method: string): Promise<{ token: string; deadline: number } | null> {
  const deadline = reactivationDeadline(user);
  if (clock.now() >= deadline) return null;
  const token = randomToken();
  await putJson(env.KV, kvKeys.reactivation(sha256Hex(token)), { userId: user.id, method } satisfies Reactivation, REACTIVATION_TOKEN_TTL_MS / 1000);
  return { token, deadline };
}

/**
 * A sign-in flow's answer for a deactivated account, given only after the person proved
 * who they are: the reactivation offer (null once the 30 days are over).
 */
export type DeactivatedRefusal = { ok: false; reason: "deactivated"; user: User; method: string; offer: { token: string; deadline: number } | null };

export async function refuseDeactivated(env: Env, user: User, method: string): Promise<DeactivatedRefusal> {
  return { ok: false, reason: "deactivated", user, method, offer: await offerReactivation(env, user, method) };
}

/** What a reactivation token stands for (not spent here: clearing deactivated_at in D1 decides single use). */
async function readReactivation(env: Env, token: string): Promise<Reactivation | null> {
  if (!ID.token256.test(token)) return null;
  return getJson<Reactivation>(env.KV, kvKeys.reactivation(sha256Hex(token)));
}

export type ReactivationResult = (FirstFactorResult & { method: string }) | { ok: false; reason: "invalid" };

/**
 * Switches a deactivated account back on with the token of its offer, then ends like
 * every sign-in (finishFirstFactor): an account with two-step verification on gets the
 * second step, not a session. The offer was made after the first factor only.
 */
export async function reactivateAccount(env: Env, token: string, ctx: SignInContext): Promise<ReactivationResult> {
  const offer = await readReactivation(env, token);
  const user = offer ? await findUserById(env, offer.userId) : null;
  if (!offer || !user || user.disabledAt || user.deactivatedAt === null || clock.now() >= reactivationDeadline(user)) return { ok: false, reason: "invalid" };
  // Clearing deactivated_at in D1 is the single-use decision: of parallel requests, one flips it.
  if (!(await clearDeactivated(env, user.id))) return { ok: false, reason: "invalid" };
  await env.KV.delete(kvKeys.reactivation(sha256Hex(token)));
  const result = await finishFirstFactor(env, { user: { ...user, deactivatedAt: null }, method: offer.method, device: ctx.device, binding: ctx.binding });
  return { ...result, method: offer.method };
}
