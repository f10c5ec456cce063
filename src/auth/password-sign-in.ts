// Password sign-in as a domain flow: the environment, the inputs and the device in, a
// result out — never a Hono Context or an ApiError (the route maps the result). Order
// matters: the per-account attempt is reserved BEFORE the password is looked at (so a
// throttled answer says nothing about the password, and unknown emails are counted
// too), a hash is paid for unknown accounts (timing), and only a right password reveals
// "email not verified". Success goes through finishFirstFactor: a session, or the
// second step for an account with two-step verification.
import type { SignInAttempt } from "../model/limits";
import type { User } from "../storage/schema";
import { updatePasswordHash } from "../storage/users";
import { refuseDeactivated, type DeactivatedRefusal } from "./account-lifecycle";
import { findPasswordAccount, type PasswordSignIn } from "./password-account";
import { attemptSignIn, clearSignInFailures } from "./lockout";
import { burnPasswordHash, hashPassword, verifyPasswordHash } from "./password-hash";
import { hashConfig } from "./passwords";
import { finishFirstFactor, type FirstFactorResult, type SignInContext } from "./sign-in";

type PasswordFailure = "unknown_account" | "no_password" | "bad_password" | "disabled";
type Allowed = Extract<SignInAttempt, { allowed: true }>;

export type PasswordSignInResult =
  | FirstFactorResult
  | { ok: false; reason: "throttled"; retryAfterMs: number; firstRefusal: boolean; user: User | null }
  | { ok: false; reason: "invalid_credentials"; failure: PasswordFailure; user: User | null; attempt: Allowed }
  | { ok: false; reason: "email_not_verified"; user: User }
  /** The right password on an account its owner deactivated: the reactivation offer. */
  | DeactivatedRefusal;

/** By email or by username (exactly one; the route's schema checks it): src/auth/password-account.ts. */
export async function signInWithPassword(env: Env, input: PasswordSignIn & { password: string }, context: SignInContext): Promise<PasswordSignInResult> {
  // The account is looked up first (one D1 read either way): a username's throttle is its account's.
  const { found, throttleKey } = await findPasswordAccount(env, input);
  const attempt = await attemptSignIn(env, throttleKey);
  if (!attempt.allowed) {
    // Only the first refusal of a delay period is worth naming the account (one audit event).
    const user = attempt.firstRefusal ? (found?.user ?? null) : null;
    return { ok: false, reason: "throttled", retryAfterMs: attempt.retryAfterMs, firstRefusal: attempt.firstRefusal, user };
  }
  const candidate = input.password.normalize("NFKC");
  if (!found?.passwordHash) {
    await burnPasswordHash(candidate, hashConfig(env));
    return { ok: false, reason: "invalid_credentials", failure: found ? "no_password" : "unknown_account", user: found?.user ?? null, attempt };
  }
  const check = await verifyPasswordHash(candidate, found.passwordHash, hashConfig(env));
  if (!check.ok || found.user.disabledAt)
    return { ok: false, reason: "invalid_credentials", failure: check.ok ? "disabled" : "bad_password", user: found.user, attempt };
  // The password was right: the failure count starts again (even if the sign-in is refused below).
  await clearSignInFailures(env, throttleKey);
  if (found.user.emailVerifiedAt === null) return { ok: false, reason: "email_not_verified", user: found.user };
  if (found.user.deactivatedAt !== null) return refuseDeactivated(env, found.user, "password");
  if (check.needsRehash) context.defer(hashPassword(candidate, hashConfig(env)).then((h) => updatePasswordHash(env, found.user.id, h)));
  return finishFirstFactor(env, { user: found.user, method: "password", device: context.device, binding: context.binding });
}
