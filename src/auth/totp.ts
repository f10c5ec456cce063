// Authenticator apps: TOTP per RFC 6238 with the parameters every app understands (SHA-1,
// 6 digits, 30 s), a 160-bit secret (RFC 4226 §4 recommends 160), and ±1 step of clock
// drift. The time comes from src/clock.ts (oslo's verifyTOTP reads Date.now itself, so
// the HOTP core is used with our own counter). Each accepted step is single use: the
// user's second-factor object accepts only steps later than the last one accepted.
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { clock } from "../clock";
import { acceptTotpStep } from "./lockout";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const DRIFT_STEPS = 1;
const SECRET_BYTES = 20;

export const newTotpSecret = () => crypto.getRandomValues(new Uint8Array(SECRET_BYTES));

/** The otpauth:// URI the QR code carries (Key Uri Format: issuer, account, SHA1, 6, 30). */
export const totpUri = (issuer: string, account: string, secret: Uint8Array) => createTOTPKeyURI(issuer, account, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS);

/** The time step a code belongs to (now, one before, one after), or null. */
export function matchingStep(secret: Uint8Array, code: string, now = clock.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    if (verifyHOTP(secret, BigInt(step), TOTP_DIGITS, code)) return step;
  }
  return null;
}

/** True when `code` is right now and its step was never accepted before for this user (atomic). */
export async function acceptTotp(env: Env, userId: string, secret: Uint8Array, code: string): Promise<boolean> {
  const step = matchingStep(secret, code);
  if (step === null) return false;
  // After this moment the step is outside every ±1 window, so the fence may forget it.
  const until = (step + DRIFT_STEPS + 1) * TOTP_PERIOD_SECONDS * 1000;
  return acceptTotpStep(env, userId, step, until);
}
