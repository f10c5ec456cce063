// Password checks that need the user's context: policy (with their email as a context
// word), reuse of recent passwords, and the hashing configuration.
import { config } from "../config";
import { previousPasswordHashes } from "../storage/users";
import { hashPassword, verifyPasswordHash, type PasswordHashConfig } from "./password-hash";
import { checkPasswordPolicy } from "./password-policy";

export const hashConfig = (env: Env): PasswordHashConfig => ({ pepper: env.PASSWORD_PEPPER || undefined });

export type NewPassword = { ok: true; hash: string } | { ok: false; reason: string };

/**
 * Checks a new password against the policy and the user's recent passwords (current +
 * history), then hashes it. Reuse is checked by verifying against each stored hash: the
 * hashes are salted, so there is no cheaper way, and it only runs on a change.
 */
export async function prepareNewPassword(env: Env, raw: string, user: { id: string; email: string | null } | null, currentHash: string | null): Promise<NewPassword> {
  const c = config(env);
  const verdict = checkPasswordPolicy(raw, { minLength: c.passwordMinLength, context: { email: user?.email, appName: c.appName } });
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
