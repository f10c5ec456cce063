// What happens around a password sign-in besides the password check: the per-account
// throttle (src/auth/lockout.ts), the audit trail, the lockout notice and the new-device
// notice. Kept here so the login handler in auth.ts stays a straight line.
import type { Context } from "hono";
import { clock } from "../clock";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { deviceInfo } from "../auth/device";
import { attemptSignIn, clearSignInFailures } from "../auth/lockout";
import { noteSignInDevice } from "../auth/new-device";
import { notificationPrefs } from "../auth/preferences";
import type { SignInAttempt } from "../model/limits";
import type { PasswordSignInResult } from "../auth/password-sign-in";
import type { IssuedTokens } from "../auth/session";
import { audit } from "../http/audit";
import { recipientLocale } from "../http/locale";
import { sendMessage } from "../messages/outbox";
import { newDeviceEmail, signInThrottledEmail } from "../messages/security-notices";
import { findUserByEmail } from "../storage/users";
import type { User } from "../storage/schema";

export type AllowedAttempt = Extract<SignInAttempt, { allowed: true }>;

/**
 * Reserves a sign-in attempt for this email, or throws 429 `sign_in_throttled` — before
 * the password is looked at, so the answer is the same whether it was right or not, and
 * the same for unknown emails (they are counted too).
 */
export async function reserveSignInAttempt(c: Context<AppEnv>, email: string): Promise<AllowedAttempt> {
  const attempt = await attemptSignIn(c.env, email);
  if (attempt.allowed) return attempt;
  if (attempt.firstRefusal) {
    // One event per delay period, not one per refused request.
    const user = await findUserByEmail(c.env, email);
    if (user)
      audit(c, { type: "sign_in.failure", userId: user.id, reason: "throttled", detail: { retryAfterSeconds: Math.ceil(attempt.retryAfterMs / 1000) } });
  }
  throw new ApiError("sign_in_throttled", { headers: { "retry-after": String(Math.max(1, Math.ceil(attempt.retryAfterMs / 1000))) } });
}

/** The wire answer to a refused password sign-in (src/auth/password-sign-in.ts), after auditing it. */
export function passwordSignInError(c: Context<AppEnv>, result: Exclude<Extract<PasswordSignInResult, { ok: false }>, { reason: "deactivated" }>): ApiError {
  if (result.reason === "throttled") {
    // One event per delay period, not one per refused request.
    if (result.firstRefusal && result.user)
      audit(c, { type: "sign_in.failure", userId: result.user.id, reason: "throttled", detail: { retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000) } });
    return new ApiError("sign_in_throttled", { headers: { "retry-after": String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) } });
  }
  if (result.reason === "email_not_verified") {
    audit(c, { type: "sign_in.failure", userId: result.user.id, reason: "email_not_verified" });
    return new ApiError("email_not_verified");
  }
  recordSignInFailure(c, result.attempt, result.user, result.failure);
  return new ApiError("invalid_credentials");
}

/** A failed attempt: audit it, and on the failure that starts a lockout, tell the owner once. */
export function recordSignInFailure(
  c: Context<AppEnv>,
  attempt: AllowedAttempt,
  user: User | null,
  reason: "unknown_account" | "no_password" | "bad_password" | "bad_current_password" | "disabled",
): void {
  audit(c, { type: "sign_in.failure", userId: user?.id ?? null, reason, detail: { failures: attempt.failures } });
  if (!attempt.lockoutStarted || !user) return;
  audit(c, { type: "account.throttled", userId: user.id, reason: "too_many_failures", detail: { failures: attempt.failures } });
  if (user.email)
    c.executionCtx.waitUntil(
      sendMessage(
        c.env,
        "email",
        user.email,
        signInThrottledEmail(config(c.env), recipientLocale(c, user), { failures: attempt.failures, at: clock.now(), timeZone: user.timeZone }),
      ),
    );
}

/** The password was right: the failure count starts again (even if the sign-in is refused for another reason). */
export async function recordRightPassword(c: Context<AppEnv>, email: string): Promise<void> {
  await clearSignInFailures(c.env, email);
}

/** A session started: audit it and, for a device not seen before, notify the owner. */
export async function recordSignInSuccess(c: Context<AppEnv>, user: User, session: IssuedTokens, method: string): Promise<void> {
  audit(c, { type: "sign_in.success", userId: user.id, sessionId: session.sessionId, detail: { method } });
  await notifyIfNewDevice(c, user, session);
}

/**
 * The owner gets a notice when the sign-in device was not seen before (never for the very
 * first). startSession noted the device with the session (`sighting`); only a session
 * that did not come from it is noted here.
 */
export async function notifyIfNewDevice(c: Context<AppEnv>, user: User, session: Pick<IssuedTokens, "sighting">): Promise<void> {
  const device = deviceInfo(c.req.raw);
  const sighting = session.sighting ?? (await noteSignInDevice(c.env, user.id, device));
  // The new-device alert is the one optional notice (src/auth/preferences.ts).
  if (sighting === "new" && user.email && notificationPrefs(user).newDevice) {
    c.executionCtx.waitUntil(
      sendMessage(c.env, "email", user.email, newDeviceEmail(config(c.env), recipientLocale(c, user), { ...device, at: clock.now(), timeZone: user.timeZone })),
    );
  }
}
