// Failed sign-ins per account, across all IPs (docs/architecture.md §5, NIST SP 800-63B-4 §3.2.2).
// Counted in one Limiter object per account, named by SHA-256 of the normalised email:
// unknown emails are counted the same way, so throttling reveals nothing about whether
// an account exists, and no raw email becomes an object name.
import { clock } from "../clock";
import { config } from "../config";
import type { SignInAttempt, SignInRules } from "../model/limits";
import { normalizeEmail } from "../storage/users";
import { sha256Hex } from "./secrets";
import { limiterObject, objectNames } from "../objects/names";

// A record lapses 30 days after the last counted failure: the only way a lock ends by
// itself once the 100-failure cap is reached (a password reset ends it at once).
const MEMORY_MS = 30 * 86400 * 1000;

export function signInRules(env: Env): SignInRules {
  const c = config(env);
  return {
    threshold: c.lockoutThreshold,
    baseDelayMs: c.lockoutBaseDelaySeconds * 1000,
    maxDelayMs: c.lockoutMaxDelaySeconds * 1000,
    maxFailures: c.lockoutMaxFailures,
    memoryMs: MEMORY_MS,
  };
}

function accountScope(env: Env, email: string) {
  return limiterObject(env, objectNames.signIn(sha256Hex(normalizeEmail(email))));
}

/** Reserve one attempt for this account: refused while throttled, before any password check. */
export function attemptSignIn(env: Env, email: string): Promise<SignInAttempt> {
  return accountScope(env, email).attemptSignIn(signInRules(env), clock.now());
}

/**
 * A password checked already (`right`: it matched an enabled account), settled in one
 * round trip instead of attemptSignIn before the hash and clearSignInFailures after it
 * (docs/architecture.md §8). The throttle is still decided first: while throttled the
 * answer is a refusal whatever the verdict, so it says nothing about the password, and a
 * parallel burst gets exactly as many verdicts as reserving would admit (each call is
 * atomic). A wrong verdict counts as a failure; a right one clears the count. The hash is
 * paid before the throttle is known, which gives a client nothing new: an unknown email
 * costs one hash per request anyway, and the per-IP limits bound both.
 */
export function settleSignIn(env: Env, email: string, right: boolean): Promise<SignInAttempt> {
  return accountScope(env, email).settleSignIn(right, signInRules(env), clock.now());
}

/** A right password, or a completed password reset: the count starts again. */
export async function clearSignInFailures(env: Env, email: string): Promise<void> {
  await accountScope(env, email).clearSignInFailures();
}

// Wrong second-step answers (TOTP, recovery code, passkey) count in a record of their own
// per user, with the same rules: a right password must not wipe them, or whoever knows
// the password could guess codes forever, five per password sign-in.
function secondFactorScope(env: Env, userId: string) {
  return limiterObject(env, objectNames.secondFactor(userId));
}

/** Reserve one second-step attempt for this user: refused while throttled, before the code is checked. */
export function attemptSecondFactor(env: Env, userId: string): Promise<SignInAttempt> {
  return secondFactorScope(env, userId).attemptSignIn(signInRules(env), clock.now());
}

/** A right second step: that count starts again. */
export async function clearSecondFactorFailures(env: Env, userId: string): Promise<void> {
  await secondFactorScope(env, userId).clearSignInFailures();
}

/** TOTP: the fence that accepts each time step once (lives in the same per-user object). */
export function acceptTotpStep(env: Env, userId: string, step: number, until: number): Promise<boolean> {
  return secondFactorScope(env, userId).acceptStep(step, until, clock.now());
}
