// Multi-step phone sign-up: phone -> phone code -> email -> email code -> password (or
// none, for passwordless) -> account. The state between steps lives in KV under the
// hash of a resume token the client keeps (survives a reload); the account is only
// created at the very end, in one D1 batch (storage/phones.ts createPhoneAccount).
import { clock } from "../clock";
import { config, type PhoneChannel } from "../config";
import type { Locale } from "../messages/message";
import { readPhoneSignup, writePhoneSignup, type PhoneSignupState } from "../storage/signup-state";
import { maskPhoneNumber } from "./phone-number";
import { randomToken } from "./secrets";
import type { PhoneSignupState as PhoneSignupView } from "../contract/auth";

export type SignupStep = "verify-phone" | "email" | "verify-email" | "password";

export const SIGNUP_PHONE_PURPOSE = "signup-phone";
export const SIGNUP_EMAIL_PURPOSE = "signup-email";

export function signupStep(state: PhoneSignupState): SignupStep {
  if (!state.phoneVerified) return "verify-phone";
  if (!state.email) return "email";
  if (!state.emailVerified) return "verify-email";
  return "password";
}

export async function startPhoneSignup(env: Env, phone: string, channel: PhoneChannel, locale: Locale): Promise<{ token: string; state: PhoneSignupState }> {
  const ttl = config(env).phone.signupTtlSeconds;
  const now = clock.now();
  const token = randomToken();
  const state: PhoneSignupState = {
    phone,
    phoneVerified: false,
    email: null,
    emailVerified: false,
    locale,
    channel,
    createdAt: now,
    expiresAt: now + ttl * 1000,
  };
  await writePhoneSignup(env, token, state, ttl);
  return { token, state };
}

/** The state, or null when unknown or expired (KV expiry is lazy, so check the time too). */
export async function loadPhoneSignup(env: Env, token: string): Promise<PhoneSignupState | null> {
  const state = await readPhoneSignup(env, token);
  return state && clock.now() < state.expiresAt ? state : null;
}

/** Saves a step; the sign-up keeps its original deadline (finishing steps never extends it). */
export async function savePhoneSignup(env: Env, token: string, state: PhoneSignupState): Promise<void> {
  await writePhoneSignup(env, token, state, (state.expiresAt - clock.now()) / 1000);
}

/** What a resuming client may see: never the full number or the email in clear. */
export function describePhoneSignup(token: string, state: PhoneSignupState): PhoneSignupView {
  return {
    signupToken: token,
    step: signupStep(state),
    phone: maskPhoneNumber(state.phone),
    email: state.email ? state.email.replace(/^(.).*(@.*)$/, "$1***$2") : null,
    channel: state.channel,
    expiresAt: new Date(state.expiresAt).toISOString(),
  };
}
