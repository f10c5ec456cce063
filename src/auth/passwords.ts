// Password checks that need the user's context: policy (with their email as a context
// word), reuse of recent passwords, and the hashing configuration.
import { config } from "../config";
import { ApiError } from "../errors";
import { previousPasswordHashes } from "../storage/users";
import { hashPassword, verifyPasswordHash, type PasswordHashConfig } from "./password-hash";
import { lookUpBreachedPassword } from "./breached-password";
import { commonPasswords } from "./common-passwords";
import { checkPasswordPolicy, type PolicyContext } from "./password-policy";

export const hashConfig = (env: Env): PasswordHashConfig => ({ pepper: env.PASSWORD_PEPPER || undefined });

export type NewPassword = { ok: true; hash: string } | PasswordRefusal;
export type PasswordRefusal = { ok: false; reason: string; unavailable?: true };
export type CheckedPassword = { ok: true; password: string } | PasswordRefusal;

/** The wire error for a refused new password: 400 weak_password, or 503 when a fail-closed breach check could not run. */
export function newPasswordError(refusal: PasswordRefusal): ApiError {
  return new ApiError(refusal.unavailable ? "service_unavailable" : "weak_password", { detail: refusal.reason });
}

/**
 * Policy (length, common, context words), then the breached-password check when it is
 * on. Used wherever a new password is chosen: register, reset, change.
 */
export async function checkNewPassword(env: Env, raw: string, context: PolicyContext, options: { breach?: boolean } = {}): Promise<CheckedPassword> {
  const c = config(env);
  let common: ReadonlySet<string>;
  try {
    common = await commonPasswords(env);
  } catch (e) {
    // A deployment without its data assets: refuse (503) rather than skip the check.
    console.error("[password-policy]", e);
    return { ok: false, unavailable: true, reason: "Passwords cannot be checked right now. Try again later." };
  }
  const verdict = checkPasswordPolicy(raw, { minLength: c.passwordMinLength, common, context: { appName: c.appName, ...context } });
  if (!verdict.ok || c.breachedPasswordCheck === "off" || options.breach === false) return verdict;
  const breach = await lookUpBreachedPassword(verdict.password, c.breachedPasswordTimeoutMs);
  if (breach.status === "breached") return { ok: false, reason: "This password has appeared in a data breach. Choose a different one." };
  if (breach.status === "unknown") {
    console.warn(`[breached-password] lookup failed (${breach.reason}); ${c.breachedPasswordOnError === "refuse" ? "refusing" : "allowing"}`);
    if (c.breachedPasswordOnError === "refuse")
      return { ok: false, unavailable: true, reason: "The password could not be checked right now. Try again in a minute." };
  }
  return verdict;
}

/**
 * Checks a new password against the policy and the user's recent passwords (current +
 * history), then hashes it. Reuse is checked by verifying against each stored hash: the
 * hashes are salted, so there is no cheaper way, and it only runs on a change.
 */
export async function prepareNewPassword(
  env: Env,
  raw: string,
  user: { id: string; email: string | null } | null,
  currentHash: string | null,
  options: { breachChecked?: boolean } = {},
): Promise<NewPassword> {
  const verdict = await checkNewPassword(env, raw, { email: user?.email }, { breach: !options.breachChecked });
  if (!verdict.ok) return verdict;
  if (user) {
    const recent = [...(currentHash ? [currentHash] : []), ...(await previousPasswordHashes(env, user.id))];
    for (const old of recent) {
      if ((await verifyPasswordHash(verdict.password, old, hashConfig(env))).ok) {
        return { ok: false, reason: "Choose a password you have not used recently." };
      }
    }
  }
  return { ok: true, hash: await hashPassword(verdict.password, hashConfig(env)) };
}
