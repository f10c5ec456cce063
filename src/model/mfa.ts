// Shapes of the second step of a sign-in, shared by the Limiter object and the sign-in
// code. A leaf module: no imports.

/** The second factors a challenge can be answered with (the `methods` of the response). */
export type SecondFactorMethod = "totp" | "passkey" | "recovery_code";

/**
 * A sign-in waiting for its second step, held by the Limiter instance named after the
 * SHA-256 of its mfaToken. The first factor is done; no session exists yet.
 */
export type MfaChallenge = {
  userId: string;
  /** How the first step happened ("password", "email_code", "oauth:github", ...). */
  method: string;
  /** What the first step proved (RFC 8176 values): joined with the second step's. */
  amr: string[];
  /** SHA-256 of the browser-binding cookie's value. */
  bindingHash: string;
  expiresAt: number;
  attemptsLeft: number;
};

export type MfaAttempt = { ok: true; challenge: MfaChallenge } | { ok: false; reason: "invalid" | "other_browser" };
