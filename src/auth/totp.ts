// Authenticator apps: TOTP per RFC 6238 with the parameters every app understands (SHA-1,
// 6 digits, 30 s), a 160-bit secret (RFC 4226 §4 recommends 160), and ±1 step of clock
// drift. The time comes from src/clock.ts. @oslojs/otp writes the otpauth URI; the codes
// are HOTP (RFC 4226 §5.3) over WebCrypto's HMAC-SHA-1 rather than oslo's (which reads
// Date.now itself, and whose pure-JS SHA-1 and binary helpers cost bundle bytes). Each
// accepted step is single use: the user's second-factor object accepts only steps later
// than the last one accepted.
import { createTOTPKeyURI } from "@oslojs/otp";
import { clock } from "../clock";
import { acceptTotpStep } from "./lockout";
import { safeEqual } from "./secrets";

const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;
const DRIFT_STEPS = 1;
const SECRET_BYTES = 20;

export const newTotpSecret = () => crypto.getRandomValues(new Uint8Array(SECRET_BYTES));

/** The otpauth:// URI the QR code carries (Key Uri Format: issuer, account, SHA1, 6, 30). */
export const totpUri = (issuer: string, account: string, secret: Uint8Array) => createTOTPKeyURI(issuer, account, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS);

/** HOTP value of `counter` (RFC 4226 §5.3: HMAC-SHA-1, dynamic truncation, 6 digits). */
async function hotp(secret: Uint8Array, counter: number): Promise<string> {
  const message = new DataView(new ArrayBuffer(8));
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new DataView(await crypto.subtle.sign("HMAC", key, message.buffer));
  const value = mac.getUint32(mac.getUint8(19) & 0x0f) & 0x7fffffff;
  return String(value % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, "0");
}

/** The time step a code belongs to (now, one before, one after), or null. */
export async function matchingStep(secret: Uint8Array, code: string, now = clock.now()): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const current = Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
  let match: number | null = null;
  // All three are computed and compared in constant time: no timing tells which step matched.
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    if (safeEqual(await hotp(secret, step), code) && match === null) match = step;
  }
  return match;
}

/** True when `code` is right now and its step was never accepted before for this user (atomic). */
export async function acceptTotp(env: Env, userId: string, secret: Uint8Array, code: string): Promise<boolean> {
  const step = await matchingStep(secret, code);
  if (step === null) return false;
  // After this moment the step is outside every ±1 window, so the fence may forget it.
  const until = (step + DRIFT_STEPS + 1) * TOTP_PERIOD_SECONDS * 1000;
  return acceptTotpStep(env, userId, step, until);
}
