// Phone sign-up in steps (see src/auth/phone-signup.ts). Every step takes the
// `signupToken` from /start and answers with where the sign-up stands, so a client that
// reloads calls /resume and carries on. Responses never depend on whether the phone or
// email already has an account: an existing owner gets a notice instead of a code.
import { Hono, type Context } from "hono";
import * as z from "zod/mini";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sendOneTimeCode } from "../auth/code-delivery";
import { deviceInfo } from "../auth/device";
import { redeemCode } from "../auth/one-time-code";
import { hashPassword } from "../auth/password-hash";
import { checkNewPassword, hashConfig, newPasswordError } from "../auth/passwords";
import {
  describePhoneSignup,
  loadPhoneSignup,
  savePhoneSignup,
  SIGNUP_EMAIL_PURPOSE,
  SIGNUP_PHONE_PURPOSE,
  signupStep,
  startPhoneSignup,
  type SignupStep,
} from "../auth/phone-signup";
import { refuseUnlessOpenRegistration } from "../auth/registration-mode";
import { randomId, sha256Hex } from "../auth/secrets";
import { finishFirstFactor } from "../auth/sign-in";
import { mfaBindingFor } from "../http/mfa-cookie";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { describeRoute, describeRoutes } from "../http/openapi";
import { channelFromRequest, phoneFromRequest, phoneSendSubjects } from "../http/phone-input";
import * as f from "../http/schemas";
import { recipientLocale } from "../http/locale";
import type { User } from "../storage/schema";
import { jsonBody } from "../http/validate";
import { chooseLocale } from "../messages/code-texts";
import { sendMessage } from "../messages/outbox";
import { accountExistsEmail } from "../messages/templates";
import { respondToFirstFactor } from "./sign-in-response";
import { createPhoneAccount, findUserByPhone } from "../storage/phones";
import { deletePhoneSignup, type PhoneSignupState } from "../storage/signup-state";
import { findUserByEmail, normalizeEmail } from "../storage/users";
import { codeRefusal } from "../http/code-refusal";
import { ID } from "../model/ids";

export const phoneSignupRoutes = new Hono<AppEnv>();
describeRoutes(phoneSignupRoutes, { tags: ["Phone sign-up"] });
const signupToken = z.string().check(z.regex(ID.token256, "The sign-up token is not valid."));
const StateBody = z.object({
  signupToken: z.string(),
  step: z.string(),
  phone: z.string(),
  email: z.nullable(z.string()),
  channel: z.string(),
  expiresAt: z.string(),
});

/** Loads the sign-up and checks it is at one of `steps` (409 otherwise: the client is out of step). */
async function signupAt(c: Context<AppEnv>, token: string, steps: SignupStep[]): Promise<PhoneSignupState> {
  const state = await loadPhoneSignup(c.env, token);
  if (!state) throw new ApiError("signup_not_found");
  const step = signupStep(state);
  if (!steps.includes(step)) throw new ApiError("conflict", { detail: `This sign-up is at step "${step}".`, extensions: { step } });
  return state;
}

// Codes are bound to the sign-up that asked for them (holder = hash of its token), so two
// sign-ups naming the same phone or email never replace or redeem each other's code.
const holderOf = (token: string) => sha256Hex(token);

// `owner`: the account that already has this phone or email; it gets a notice in ITS language.
function sendPhoneCode(c: Context<AppEnv>, token: string, state: PhoneSignupState, owner: User | null) {
  const taken = owner !== null;
  c.executionCtx.waitUntil(
    sendOneTimeCode(c.env, {
      purpose: SIGNUP_PHONE_PURPOSE,
      target: state.phone,
      holder: holderOf(token),
      destination: { phone: state.phone, channel: state.channel },
      text: "sign-up",
      locale: owner ? recipientLocale(c, owner, state.locale) : state.locale,
      userId: null,
      deliver: !taken,
      ...(taken ? { notice: "phone-account-exists" as const } : {}),
    }),
  );
}

function sendEmailCode(c: Context<AppEnv>, token: string, state: PhoneSignupState & { email: string }, owner: User | null) {
  const taken = owner !== null;
  const send = async () => {
    await sendOneTimeCode(c.env, {
      purpose: SIGNUP_EMAIL_PURPOSE,
      target: state.email,
      holder: holderOf(token),
      destination: { email: state.email },
      text: "verify-email",
      locale: state.locale,
      userId: null,
      deliver: !taken,
    });
    if (owner) await sendMessage(c.env, "email", state.email, accountExistsEmail(config(c.env), recipientLocale(c, owner, state.locale)));
  };
  c.executionCtx.waitUntil(send());
}

// ---------------------------------------------------------------------------
const StartBody = z.object({ phone: f.phone, channel: z.optional(f.channel), locale: z.optional(f.locale) });
describeRoute(phoneSignupRoutes, {
  body: StartBody,
  summary: "Step 1: send a code to the phone. Returns the signupToken that every later step (and /resume) takes.",
  responses: { 202: { description: "Code sent (or a notice, if the phone has an account)", schema: StateBody }, 403: "registration_invite_only" },
});
phoneSignupRoutes.post("/start", jsonBody(StartBody), async (c) => {
  const body = c.req.valid("json");
  refuseUnlessOpenRegistration(c.env);
  const phone = await phoneFromRequest(c, body.phone);
  const channel = channelFromRequest(c, body.channel);
  await enforceRateLimit(c, "signup.phone");
  await enforceRateLimit(c, "code.send-phone", phoneSendSubjects(phone));
  const owner = await findUserByPhone(c.env, phone.e164);
  const { token, state } = await startPhoneSignup(c.env, phone.e164, channel, chooseLocale(body.locale, c.req.header("accept-language")));
  sendPhoneCode(c, token, state, owner);
  c.header("cache-control", "no-store");
  return c.json(describePhoneSignup(token, state), 202);
});

// ---------------------------------------------------------------------------
const TokenOnly = z.object({ signupToken });
describeRoute(phoneSignupRoutes, {
  body: TokenOnly,
  summary: "Where a sign-up stands (after a reload).",
  responses: { 200: { description: "State", schema: StateBody }, 404: "signup_not_found" },
});
phoneSignupRoutes.post("/resume", jsonBody(TokenOnly), async (c) => {
  const { signupToken: token } = c.req.valid("json");
  await enforceRateLimit(c, "signup.phone");
  const state = await signupAt(c, token, ["verify-phone", "email", "verify-email", "password"]);
  c.header("cache-control", "no-store");
  return c.json(describePhoneSignup(token, state));
});

describeRoute(phoneSignupRoutes, {
  body: TokenOnly,
  summary: "Send the code of the current step again (60 s cooldown).",
  responses: { 202: { description: "Sent", schema: StateBody } },
});
phoneSignupRoutes.post("/resend", jsonBody(TokenOnly), async (c) => {
  const { signupToken: token } = c.req.valid("json");
  const state = await signupAt(c, token, ["verify-phone", "verify-email"]);
  if (signupStep(state) === "verify-phone") {
    await enforceRateLimit(c, "code.send-phone", phoneSendSubjects(await phoneFromRequest(c, state.phone)));
    sendPhoneCode(c, token, state, await findUserByPhone(c.env, state.phone));
  } else {
    await enforceRateLimit(c, "code.send-email", { target: state.email! });
    sendEmailCode(c, token, state as PhoneSignupState & { email: string }, await findUserByEmail(c.env, state.email!));
  }
  c.header("cache-control", "no-store");
  return c.json(describePhoneSignup(token, state), 202);
});

// ---------------------------------------------------------------------------
const CodeBody = z.object({ signupToken, code: f.code });
describeRoute(phoneSignupRoutes, {
  body: CodeBody,
  summary: "Step 2: the code sent to the phone.",
  responses: { 200: { description: "Next step: email", schema: StateBody } },
});
phoneSignupRoutes.post("/verify-phone", jsonBody(CodeBody), async (c) => {
  const { signupToken: token, code } = c.req.valid("json");
  await enforceRateLimit(c, "code.verify");
  const state = await signupAt(c, token, ["verify-phone"]);
  const result = await redeemCode(c.env, SIGNUP_PHONE_PURPOSE, state.phone, code, holderOf(token));
  if (!result.ok) throw await codeRefusal(c, result.reason);
  const next = { ...state, phoneVerified: true };
  await savePhoneSignup(c.env, token, next);
  c.header("cache-control", "no-store");
  return c.json(describePhoneSignup(token, next));
});

// ---------------------------------------------------------------------------
const EmailBody = z.object({ signupToken, email: f.email });
describeRoute(phoneSignupRoutes, {
  body: EmailBody,
  summary: "Step 3: the email address; a code is sent to it (an existing owner gets a notice instead).",
  responses: { 202: { description: "Next step: verify-email", schema: StateBody } },
});
phoneSignupRoutes.post("/email", jsonBody(EmailBody), async (c) => {
  const { signupToken: token, email: rawEmail } = c.req.valid("json");
  const state = await signupAt(c, token, ["email", "verify-email"]);
  const email = normalizeEmail(rawEmail);
  await enforceRateLimit(c, "code.send-email", { target: email });
  const next = { ...state, email, emailVerified: false };
  await savePhoneSignup(c.env, token, next);
  sendEmailCode(c, token, next, await findUserByEmail(c.env, email));
  c.header("cache-control", "no-store");
  return c.json(describePhoneSignup(token, next), 202);
});

describeRoute(phoneSignupRoutes, {
  body: CodeBody,
  summary: "Step 4: the code sent to the email.",
  responses: { 200: { description: "Next step: password", schema: StateBody } },
});
phoneSignupRoutes.post("/verify-email", jsonBody(CodeBody), async (c) => {
  const { signupToken: token, code } = c.req.valid("json");
  await enforceRateLimit(c, "code.verify");
  const state = await signupAt(c, token, ["verify-email"]);
  const result = await redeemCode(c.env, SIGNUP_EMAIL_PURPOSE, state.email!, code, holderOf(token));
  if (!result.ok) throw await codeRefusal(c, result.reason);
  const next = { ...state, emailVerified: true };
  await savePhoneSignup(c.env, token, next);
  c.header("cache-control", "no-store");
  return c.json(describePhoneSignup(token, next));
});

// ---------------------------------------------------------------------------
const CompleteBody = z.object({ signupToken, password: z.optional(f.password) });
describeRoute(phoneSignupRoutes, {
  body: CompleteBody,
  summary: "Step 5: choose a password, or leave it out for a passwordless account. Creates the account and signs in.",
  responses: { 201: "Account created and signed in (same tokens and cookies as /api/auth/login)", 409: "conflict: the phone or email was taken meanwhile" },
});
phoneSignupRoutes.post("/complete", jsonBody(CompleteBody), async (c) => {
  const { signupToken: token, password } = c.req.valid("json");
  refuseUnlessOpenRegistration(c.env);
  await enforceRateLimit(c, "signup.phone");
  const state = await signupAt(c, token, ["password"]);
  let passwordHash: string | null = null;
  if (password !== undefined) {
    // Policy + breached-password check, as for every new password.
    const policy = await checkNewPassword(c.env, password, { email: state.email! });
    if (!policy.ok) throw newPasswordError(policy);
    passwordHash = await hashPassword(policy.password, hashConfig(c.env));
  }
  const user = await createPhoneAccount(c.env, { id: randomId(), phone: state.phone, email: state.email!, passwordHash });
  if (!user) throw new ApiError("conflict", { detail: "This phone number or email already has an account. Sign in instead." });
  await deletePhoneSignup(c.env, token);

  audit(c, { type: "phone.verified", userId: user.id, detail: { flow: "signup", passwordless: passwordHash === null } });
  // A new account has no second factor yet, but every sign-in ends the same one way.
  const binding = mfaBindingFor(c);
  const signedIn = await finishFirstFactor(c.env, { user, method: "phone_signup", device: deviceInfo(c.req.raw), binding });
  return respondToFirstFactor(c, signedIn, "phone_signup", binding, {}, 201);
});
