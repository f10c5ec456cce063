// Re-authentication (step-up): the signed-in person proves who they are again, with
// whatever they have — password, a one-time code sent to their verified email or phone,
// an authenticator-app code or a passkey — and the session's authenticatedAt becomes now
// (src/auth/fresh-sign-in.ts decides what counts as recent). Guesses count where the same
// guess would count at sign-in: the password lock-out, the second-factor lock-out, the
// one-time-code budget.
import type { SessionRecord } from "../model/session";
import type { User } from "../storage/schema";
import { findUserPhone } from "../storage/phones";
import { getPasswordHash } from "../storage/users";
import type { CodeDestination } from "./code-delivery";
import { attemptSignIn, clearSignInFailures } from "./lockout";
import { redeemCode, type RedeemFailure } from "./one-time-code";
import { verifyPasswordHash } from "./password-hash";
import { hashConfig } from "./passwords";
import { checkSecondFactor } from "./second-factor";
import { reauthenticateSession } from "./session";
import type { AssertionJSON } from "./webauthn";

export const REAUTH_CODE_PURPOSE = "reauthenticate";

type ReauthProof = { password: string } | { code: string } | { totp: string } | { passkey: AssertionJSON };

type ReauthResult =
  | { ok: true; session: SessionRecord }
  | { ok: false; reason: "wrong" | "ended" | "no_such_method" }
  | { ok: false; reason: "code_refused"; failure: RedeemFailure }
  | { ok: false; reason: "throttled"; retryAfterMs: number };

/** Where a re-authentication code goes: the verified email, else the verified phone. */
export async function reauthCodeDestination(env: Env, user: User): Promise<{ target: string; destination: CodeDestination } | null> {
  if (user.email && user.emailVerifiedAt !== null) return { target: user.email, destination: { email: user.email } };
  const phone = await findUserPhone(env, user.id);
  return phone ? { target: phone.subject, destination: { phone: phone.subject, channel: "sms" } } : null;
}

export async function reauthenticate(env: Env, user: User, sessionId: string, proof: ReauthProof): Promise<ReauthResult> {
  const amr = await proofAmr(env, user, proof);
  if (!Array.isArray(amr)) return amr;
  const session = await reauthenticateSession(env, user.id, sessionId, amr);
  return session ? { ok: true, session } : { ok: false, reason: "ended" };
}

async function proofAmr(env: Env, user: User, proof: ReauthProof): Promise<string[] | Extract<ReauthResult, { ok: false }>> {
  if ("password" in proof) {
    const hash = await getPasswordHash(env, user.id);
    if (!hash || !user.email) return { ok: false, reason: "no_such_method" };
    const attempt = await attemptSignIn(env, user.email);
    if (!attempt.allowed) return { ok: false, reason: "throttled", retryAfterMs: attempt.retryAfterMs };
    if (!(await verifyPasswordHash(proof.password.normalize("NFKC"), hash, hashConfig(env))).ok) return { ok: false, reason: "wrong" };
    await clearSignInFailures(env, user.email);
    return ["pwd"];
  }
  if ("code" in proof) {
    const to = await reauthCodeDestination(env, user);
    if (!to) return { ok: false, reason: "no_such_method" };
    const result = await redeemCode(env, REAUTH_CODE_PURPOSE, to.target, proof.code);
    if (!result.ok) return { ok: false, reason: "code_refused", failure: result.reason };
    return "email" in to.destination ? ["otp"] : ["sms"];
  }
  const check = await checkSecondFactor(env, user.id, "totp" in proof ? { code: proof.totp } : { passkey: proof.passkey });
  if (check.ok) return check.amr;
  return check.reason === "throttled" ? { ok: false, reason: "throttled", retryAfterMs: check.retryAfterMs } : { ok: false, reason: "wrong" };
}
