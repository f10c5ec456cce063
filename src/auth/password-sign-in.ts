// Password sign-in as a domain flow: the environment, the inputs and the device in, a
// result out — never a Hono Context or an ApiError (the route maps the result). The
// password is checked (a hash is paid for unknown accounts too: timing), then the
// account's lock-out settles the attempt in one call: while throttled the answer is the
// same whatever the verdict (so it says nothing about the password, and unknown emails
// are counted too), a wrong one counts, a right one clears the count. Only a right
// password reveals "email not verified". Success goes through finishFirstFactor: a
// session, or the second step for an account with two-step verification.
import type { SignInAttempt } from "../model/limits";
import type { User } from "../storage/schema";
import { updatePasswordHash } from "../storage/users";
import { refuseDeactivated, type DeactivatedRefusal } from "./account-lifecycle";
import { findPasswordAccount, type PasswordAccount, type PasswordSignIn } from "./password-account";
import { settleSignIn } from "./lockout";
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
  const candidate = input.password.normalize("NFKC");
  // A hash is paid whether or not the account exists or has a password (timing).
  const check = found?.passwordHash ? await verifyPasswordHash(candidate, found.passwordHash, hashConfig(env)) : await burnHash(candidate, env);
  const right = check.ok && !found?.user.disabledAt;
  // One call to the account's lock-out: refused while throttled (whatever the verdict),
  // else a wrong password counts and a right one starts the count again.
  const attempt = await settleSignIn(env, throttleKey, right);
  if (!attempt.allowed) {
    // Only the first refusal of a delay period is worth naming the account (one audit event).
    const user = attempt.firstRefusal ? (found?.user ?? null) : null;
    return { ok: false, reason: "throttled", retryAfterMs: attempt.retryAfterMs, firstRefusal: attempt.firstRefusal, user };
  }
  if (!found || !right) return { ok: false, reason: "invalid_credentials", failure: failureOf(found, check.ok), user: found?.user ?? null, attempt };
  if (found.user.emailVerifiedAt === null) return { ok: false, reason: "email_not_verified", user: found.user };
  if (found.user.deactivatedAt !== null) return refuseDeactivated(env, found.user, "password");
  if (check.needsRehash) context.defer(hashPassword(candidate, hashConfig(env)).then((h) => updatePasswordHash(env, found.user.id, h)));
  return finishFirstFactor(env, { user: found.user, method: "password", device: context.device, binding: context.binding });
}

/** No hash to check against: the same work is done, and the answer is "wrong". */
async function burnHash(candidate: string, env: Env): Promise<{ ok: false; needsRehash: false }> {
  await burnPasswordHash(candidate, hashConfig(env));
  return { ok: false, needsRehash: false };
}

function failureOf(found: PasswordAccount["found"], passwordMatched: boolean): PasswordFailure {
  if (!found) return "unknown_account";
  if (!found.passwordHash) return "no_password";
  return passwordMatched ? "disabled" : "bad_password";
}
