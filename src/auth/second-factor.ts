// Checking a second-step answer for a user: an authenticator-app code, a recovery code or a
// passkey. Every answer is counted in the user's second-factor lock-out BEFORE it is
// checked (src/auth/lockout.ts), so a burst of guesses cannot slip past the threshold.
import type { SignInAttempt } from "../model/limits";
import type { SecondFactorMethod } from "../model/mfa";
import { config } from "../config";
import { secondFactorsResetEmail } from "../messages/mfa-notices";
import type { Locale } from "../messages/message";
import { sendMessage } from "../messages/outbox";
import { deleteAllSecondFactors, findTotp, useRecoveryCode } from "../storage/second-factors";
import { findUserById } from "../storage/users";
import { attemptSecondFactor, clearSecondFactorFailures } from "./lockout";
import { checkPasskey } from "./passkeys";
import { recoveryCodeHash } from "./recovery-codes";
import { open } from "./secret-box";
import { acceptTotp } from "./totp";
import type { AssertionJSON } from "./webauthn";

export type SecondFactorAnswer = { code: string } | { recoveryCode: string } | { passkey: AssertionJSON };

export type SecondFactorCheck =
  | { ok: true; factor: SecondFactorMethod; amr: string[] }
  | { ok: false; reason: "wrong"; factor: SecondFactorMethod; failures: number; lockoutStarted: boolean }
  | { ok: false; reason: "throttled"; retryAfterMs: number; firstRefusal: boolean };

const factorOf = (answer: SecondFactorAnswer): SecondFactorMethod => ("code" in answer ? "totp" : "recoveryCode" in answer ? "recovery_code" : "passkey");

export async function checkSecondFactor(env: Env, userId: string, answer: SecondFactorAnswer): Promise<SecondFactorCheck> {
  const attempt: SignInAttempt = await attemptSecondFactor(env, userId);
  if (!attempt.allowed) return { ok: false, reason: "throttled", retryAfterMs: attempt.retryAfterMs, firstRefusal: attempt.firstRefusal };
  const factor = factorOf(answer);
  const amr = await answerIsRight(env, userId, answer);
  if (!amr) return { ok: false, reason: "wrong", factor, failures: attempt.failures, lockoutStarted: attempt.lockoutStarted };
  await clearSecondFactorFailures(env, userId);
  return { ok: true, factor, amr };
}

/** The RFC 8176 amr values the answer proves, or null when it is wrong (or already used). */
async function answerIsRight(env: Env, userId: string, answer: SecondFactorAnswer): Promise<string[] | null> {
  if ("code" in answer) {
    const totp = await findTotp(env, userId);
    const secret = totp?.confirmedAt ? await open(env, totp.secretCiphertext, userId) : null;
    return secret && (await acceptTotp(env, userId, secret, answer.code)) ? ["otp"] : null;
  }
  if ("recoveryCode" in answer) {
    const hash = recoveryCodeHash(userId, answer.recoveryCode);
    // Not a registered RFC 8176 value: "rc" names a recovery code plainly.
    return hash && (await useRecoveryCode(env, userId, hash)) ? ["rc"] : null;
  }
  const passkey = await checkPasskey(env, answer.passkey, userId);
  return passkey.ok ? passkey.amr : null;
}

/**
 * For platform administrators (the organizations feature's admin routes): removes every
 * second factor of the user and tells the owner by email. The caller audits
 * ("mfa.reset") and must itself require a recent sign-in of the administrator.
 */
export async function resetSecondFactors(env: Env, userId: string, locale: Locale = "en"): Promise<{ totp: boolean; passkeys: number }> {
  const removed = await deleteAllSecondFactors(env, userId);
  await clearSecondFactorFailures(env, userId);
  const user = await findUserById(env, userId);
  if (user?.email) await sendMessage(env, "email", user.email, secondFactorsResetEmail(config(env), locale), { userId });
  return removed;
}
