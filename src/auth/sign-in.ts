// The one way every first factor ends (password, email or phone code, magic link, email
// verification, social sign-in, phone sign-up, passkey): a session, or — for an account
// with two-step verification on — a challenge for the second step and no session at all.
// Each method's flow (password-sign-in.ts, code-sign-in.ts, ...) ends in `finishFirstFactor`;
// routes map the flow's result, and none starts a session by itself.
import { clock } from "../clock";
import type { MfaChallenge, SecondFactorMethod } from "../model/mfa";
import type { DeviceInfo } from "../model/session";
import { limiterObject, objectNames } from "../objects/names";
import type { User } from "../storage/schema";
import { secondFactorsOf } from "../storage/second-factors";
import { findUserById } from "../storage/users";
import { checkSecondFactor, type SecondFactorAnswer, type SecondFactorCheck } from "./second-factor";
import { randomToken, sha256Hex } from "./secrets";
import { amrOf, startSession, type IssuedTokens } from "./session";

export const MFA_TOKEN_TTL_MS = 5 * 60 * 1000;
const MFA_ATTEMPTS = 5;

type MfaStarted = { mfaToken: string; methods: SecondFactorMethod[]; expiresAt: number };

/** `session`: signed in. `challenge`: the second step comes first (no session exists yet). */
export type FirstFactorResult = { ok: true; user: User; session: IssuedTokens } | { ok: true; user: User; challenge: MfaStarted };

/** What every sign-in flow gets from the request besides its inputs. */
export type SignInContext = {
  device: DeviceInfo;
  /** The browser-binding value a second step would be bound to (its cookie is set by the route). */
  binding: string;
  /** Work that may finish after the response (waitUntil). */
  defer: (work: Promise<unknown>) => void;
};

type FirstFactor = {
  user: User;
  /** "password", "email_code", "oauth:github", ... (the session's `method`). */
  method: string;
  device: DeviceInfo;
  /** The browser-binding value (its cookie is set by the route); only its hash is kept. */
  binding: string;
  /** Defaults to what `method` proves. */
  amr?: string[];
};

const challengeSlot = (env: Env, mfaToken: string) => limiterObject(env, objectNames.mfaChallenge(sha256Hex(mfaToken)));

export async function finishFirstFactor(env: Env, first: FirstFactor): Promise<FirstFactorResult> {
  const amr = first.amr ?? amrOf(first.method);
  const factors = await secondFactorsOf(env, first.user.id);
  // A passkey already is two factors (possession + verified user): it never asks for more.
  if (!factors.totp || amr.includes("hwk"))
    return { ok: true, user: first.user, session: await startSession(env, first.user.id, first.device, first.method, amr) };
  const mfaToken = randomToken();
  const expiresAt = clock.now() + MFA_TOKEN_TTL_MS;
  const challenge: MfaChallenge = {
    userId: first.user.id,
    method: first.method,
    amr,
    bindingHash: sha256Hex(first.binding),
    expiresAt,
    attemptsLeft: MFA_ATTEMPTS,
  };
  await challengeSlot(env, mfaToken).openMfa(challenge);
  const methods: SecondFactorMethod[] = ["totp", ...(factors.passkeys > 0 ? (["passkey"] as const) : []), "recovery_code"];
  return { ok: true, user: first.user, challenge: { mfaToken, methods, expiresAt } };
}

export type SecondStepResult =
  | { ok: true; user: User; session: IssuedTokens; factor: SecondFactorMethod; method: string }
  | { ok: false; reason: "invalid_token" }
  | ({ ok: false; userId: string; attemptsLeft: number } & Extract<SecondFactorCheck, { ok: false }>);

/**
 * The second step: the mfaToken (from this browser) and one answer. The attempt is
 * counted on the token first (5, then the sign-in starts again), then in the user's
 * second-factor lock-out; the token is spent by the first right answer only.
 */
export async function finishSecondStep(
  env: Env,
  input: { mfaToken: string; binding: string | undefined; answer: SecondFactorAnswer; device: DeviceInfo },
): Promise<SecondStepResult> {
  if (!input.binding) return { ok: false, reason: "invalid_token" };
  const slot = challengeSlot(env, input.mfaToken);
  const attempt = await slot.attemptMfa(sha256Hex(input.binding), clock.now());
  if (!attempt.ok) return { ok: false, reason: "invalid_token" };
  const { challenge } = attempt;
  const check = await checkSecondFactor(env, challenge.userId, input.answer);
  if (!check.ok) return { ...check, userId: challenge.userId, attemptsLeft: challenge.attemptsLeft };
  // Of parallel right answers (a TOTP code and a recovery code, say) only one signs in.
  if (!(await slot.completeMfa(clock.now()))) return { ok: false, reason: "invalid_token" };
  const user = await findUserById(env, challenge.userId);
  if (!user || user.disabledAt) return { ok: false, reason: "invalid_token" };
  const amr = [...new Set([...challenge.amr, ...check.amr, "mfa"])];
  return { ok: true, user, session: await startSession(env, user.id, input.device, challenge.method, amr), factor: check.factor, method: challenge.method };
}

/** The user a pending second step belongs to (this browser's only), without spending an attempt. */
export async function peekMfaChallenge(env: Env, mfaToken: string, binding: string | undefined): Promise<string | null> {
  if (!binding) return null;
  return challengeSlot(env, mfaToken).peekMfa(sha256Hex(binding), clock.now());
}
