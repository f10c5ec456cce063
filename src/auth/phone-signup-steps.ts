// The steps of phone sign-up as domain flows (the state between steps: ./phone-signup.ts).
// Each takes the environment, its inputs and (for the last) the device, and returns a
// result; the route (src/routes/phone-signup.ts) parses, rate-limits and maps it. Nothing
// a step answers depends on whether the phone or email already has an account: an
// existing owner gets a notice, in the owner's language, instead of a code.
import { config, type PhoneChannel } from "../config";
import { accountLocale } from "../messages/code-texts";
import type { Locale } from "../messages/message";
import { sendMessage } from "../messages/outbox";
import { accountExistsEmail } from "../messages/templates";
import { createPhoneAccount, findUserByPhone } from "../storage/phones";
import type { User } from "../storage/schema";
import { deletePhoneSignup, type PhoneSignupState } from "../storage/signup-state";
import { findUserByEmail } from "../storage/users";
import { sendOneTimeCode } from "./code-delivery";
import { redeemCode, type RedeemFailure } from "./one-time-code";
import { hashPassword } from "./password-hash";
import { checkNewPassword, hashConfig, type PasswordRefusal } from "./passwords";
import { loadPhoneSignup, savePhoneSignup, SIGNUP_EMAIL_PURPOSE, SIGNUP_PHONE_PURPOSE, signupStep, startPhoneSignup, type SignupStep } from "./phone-signup";
import { randomId, sha256Hex } from "./secrets";
import { finishFirstFactor, type FirstFactorResult, type SignInContext } from "./sign-in";

type Defer = SignInContext["defer"];
export type PhoneSignup = { token: string; state: PhoneSignupState };
export type SignupRefusal = { ok: false; reason: "signup_not_found" } | { ok: false; reason: "out_of_step"; step: SignupStep };

/** The sign-up a token names, if it is at one of `steps` (a client out of step is told where it stands). */
export async function signupAt(env: Env, token: string, steps: SignupStep[]): Promise<({ ok: true } & PhoneSignup) | SignupRefusal> {
  const state = await loadPhoneSignup(env, token);
  if (!state) return { ok: false, reason: "signup_not_found" };
  const step = signupStep(state);
  if (!steps.includes(step)) return { ok: false, reason: "out_of_step", step };
  return { ok: true, token, state };
}

// Codes are bound to the sign-up that asked for them (holder = hash of its token), so two
// sign-ups naming the same phone or email never replace or redeem each other's code.
const holderOf = (token: string) => sha256Hex(token);

/** `owner`: the account that already has this phone; it gets a notice in ITS language. */
function sendPhoneCode(env: Env, { token, state }: PhoneSignup, owner: User | null, defer: Defer): void {
  defer(
    sendOneTimeCode(env, {
      purpose: SIGNUP_PHONE_PURPOSE,
      target: state.phone,
      holder: holderOf(token),
      destination: { phone: state.phone, channel: state.channel },
      text: "sign-up",
      locale: accountLocale(owner, state.locale),
      userId: null,
      deliver: owner === null,
      ...(owner ? { notice: "phone-account-exists" as const } : {}),
    }),
  );
}

/** The email's code goes out either way (delivered only to a free address); an owner also gets a notice. */
function sendEmailCode(env: Env, { token, state }: PhoneSignup, email: string, owner: User | null, defer: Defer): void {
  const send = async () => {
    await sendOneTimeCode(env, {
      purpose: SIGNUP_EMAIL_PURPOSE,
      target: email,
      holder: holderOf(token),
      destination: { email },
      text: "verify-email",
      locale: state.locale,
      userId: null,
      deliver: owner === null,
    });
    if (owner) await sendMessage(env, "email", email, accountExistsEmail(config(env), accountLocale(owner, state.locale)));
  };
  defer(send());
}

/** Step 1: a new sign-up for the phone (already parsed, E.164) and its code. */
export async function beginPhoneSignup(env: Env, input: { phone: string; channel: PhoneChannel; locale: Locale }, defer: Defer): Promise<PhoneSignup> {
  const owner = await findUserByPhone(env, input.phone);
  const signup = await startPhoneSignup(env, input.phone, input.channel, input.locale);
  sendPhoneCode(env, signup, owner, defer);
  return signup;
}

/** The code of the current step again (verify-phone or verify-email); the route charged the send limits. */
export async function resendSignupCode(env: Env, signup: PhoneSignup, defer: Defer): Promise<void> {
  const { phone, email } = signup.state;
  if (signupStep(signup.state) === "verify-phone") sendPhoneCode(env, signup, await findUserByPhone(env, phone), defer);
  else if (email) sendEmailCode(env, signup, email, await findUserByEmail(env, email), defer);
}

/** Step 3: the email address (normalised), which then waits for its code. */
export async function addSignupEmail(env: Env, { token, state }: PhoneSignup, email: string, defer: Defer): Promise<PhoneSignup> {
  const next = { token, state: { ...state, email, emailVerified: false } };
  await savePhoneSignup(env, token, next.state);
  sendEmailCode(env, next, email, await findUserByEmail(env, email), defer);
  return next;
}

export type SignupCodeResult = ({ ok: true } & PhoneSignup) | SignupRefusal | { ok: false; reason: "code_refused"; failure: RedeemFailure };

/** Steps 2 and 4: this sign-up's code for its phone (verify-phone) or its email (verify-email). */
export async function verifySignupCode(env: Env, input: { token: string; code: string }, step: "verify-phone" | "verify-email"): Promise<SignupCodeResult> {
  const at = await signupAt(env, input.token, [step]);
  if (!at.ok) return at;
  const { state } = at;
  const phone = step === "verify-phone";
  const redeemed = await redeemCode(
    env,
    phone ? SIGNUP_PHONE_PURPOSE : SIGNUP_EMAIL_PURPOSE,
    phone ? state.phone : (state.email ?? ""),
    input.code,
    holderOf(input.token),
  );
  if (!redeemed.ok) return { ok: false, reason: "code_refused", failure: redeemed.reason };
  const next = phone ? { ...state, phoneVerified: true } : { ...state, emailVerified: true };
  await savePhoneSignup(env, input.token, next);
  return { ok: true, token: input.token, state: next };
}

export type CompleteSignupResult =
  | (FirstFactorResult & { passwordless: boolean })
  | SignupRefusal
  | { ok: false; reason: "password_refused"; refusal: PasswordRefusal }
  /** The phone or email was taken while the sign-up went on (a unique index refused it). */
  | { ok: false; reason: "taken" };

/** Step 5: a password (or none: passwordless), then the account, signed in. */
export async function completePhoneSignup(env: Env, input: { token: string; password?: string }, context: SignInContext): Promise<CompleteSignupResult> {
  const at = await signupAt(env, input.token, ["password"]);
  if (!at.ok) return at;
  const { phone, email } = at.state;
  let passwordHash: string | null = null;
  if (input.password !== undefined) {
    // Policy + breached-password check, as for every new password.
    const policy = await checkNewPassword(env, input.password, { email });
    if (!policy.ok) return { ok: false, reason: "password_refused", refusal: policy };
    passwordHash = await hashPassword(policy.password, hashConfig(env));
  }
  const user = await createPhoneAccount(env, { id: randomId(), phone, email: email ?? "", passwordHash });
  if (!user) return { ok: false, reason: "taken" };
  await deletePhoneSignup(env, input.token);
  // A new account has no second factor yet, but every sign-in ends the same one way.
  const signedIn = await finishFirstFactor(env, { user, method: "phone_signup", device: context.device, binding: context.binding });
  return { ...signedIn, passwordless: passwordHash === null };
}
