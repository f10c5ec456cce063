// Phone sign-up in steps (the flows: src/auth/phone-signup-steps.ts). Every step takes the
// `signupToken` from /start and answers with where the sign-up stands, so a client that
// reloads calls /resume and carries on. Responses never depend on whether the phone or
// email already has an account: an existing owner gets a notice instead of a code.
import { Hono, type Context } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { deviceInfo } from "../auth/device";
import { newPasswordError } from "../auth/passwords";
import { describePhoneSignup, signupStep, type SignupStep } from "../auth/phone-signup";
import {
  addSignupEmail,
  beginPhoneSignup,
  completePhoneSignup,
  resendSignupCode,
  signupAt,
  verifySignupCode,
  type CompleteSignupResult,
  type PhoneSignup,
  type SignupCodeResult,
  type SignupRefusal,
} from "../auth/phone-signup-steps";
import { refuseUnlessOpenRegistration } from "../auth/registration-mode";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { codeRefusal } from "../http/code-refusal";
import { requestLocale } from "../http/locale";
import { mfaBindingFor } from "../http/mfa-cookie";
import { describeRoute, describeRoutes } from "../http/openapi";
import { channelFromRequest, phoneFromRequest, phoneSendSubjects } from "../http/phone-input";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { ID } from "../model/ids";
import { normalizeEmail } from "../storage/users";
import { respondToFirstFactor } from "./sign-in-response";

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

const deferFor = (c: Context<AppEnv>) => (work: Promise<unknown>) => c.executionCtx.waitUntil(work);

/** The wire answer to a refused step. */
async function signupError(c: Context<AppEnv>, result: SignupRefusal | Extract<SignupCodeResult | CompleteSignupResult, { ok: false }>): Promise<ApiError> {
  switch (result.reason) {
    case "signup_not_found":
      return new ApiError("signup_not_found");
    case "out_of_step": // the client is out of step: say where the sign-up stands
      return new ApiError("conflict", { detail: `This sign-up is at step "${result.step}".`, extensions: { step: result.step } });
    case "code_refused":
      return codeRefusal(c, result.failure);
    case "password_refused":
      return newPasswordError(result.refusal);
    case "taken":
      return new ApiError("conflict", { detail: "This phone number or email already has an account. Sign in instead." });
  }
}

/** The sign-up the token names, at one of `steps` (the lookup a later rate limit needs: it reads the state's phone or email). */
async function loadSignup(c: Context<AppEnv>, token: string, steps: SignupStep[]): Promise<PhoneSignup> {
  const at = await signupAt(c.env, token, steps);
  if (!at.ok) throw await signupError(c, at);
  return at;
}

/** Where the sign-up stands, as every step answers. */
function signupState(c: Context<AppEnv>, { token, state }: PhoneSignup, status: 200 | 202 = 200) {
  c.header("cache-control", "no-store");
  return c.json(describePhoneSignup(token, state), status);
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
  const signup = await beginPhoneSignup(c.env, { phone: phone.e164, channel, locale: requestLocale(c, body.locale) }, deferFor(c));
  return signupState(c, signup, 202);
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
  return signupState(c, await loadSignup(c, token, ["verify-phone", "email", "verify-email", "password"]));
});

describeRoute(phoneSignupRoutes, {
  body: TokenOnly,
  summary: "Send the code of the current step again (60 s cooldown).",
  responses: { 202: { description: "Sent", schema: StateBody } },
});
phoneSignupRoutes.post("/resend", jsonBody(TokenOnly), async (c) => {
  const { signupToken: token } = c.req.valid("json");
  const signup = await loadSignup(c, token, ["verify-phone", "verify-email"]);
  if (signupStep(signup.state) === "verify-phone")
    await enforceRateLimit(c, "code.send-phone", phoneSendSubjects(await phoneFromRequest(c, signup.state.phone)));
  else await enforceRateLimit(c, "code.send-email", { target: signup.state.email });
  await resendSignupCode(c.env, signup, deferFor(c));
  return signupState(c, signup, 202);
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
  const result = await verifySignupCode(c.env, { token, code }, "verify-phone");
  if (!result.ok) throw await signupError(c, result);
  return signupState(c, result);
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
  const signup = await loadSignup(c, token, ["email", "verify-email"]);
  const email = normalizeEmail(rawEmail);
  await enforceRateLimit(c, "code.send-email", { target: email });
  return signupState(c, await addSignupEmail(c.env, signup, email, deferFor(c)), 202);
});

describeRoute(phoneSignupRoutes, {
  body: CodeBody,
  summary: "Step 4: the code sent to the email.",
  responses: { 200: { description: "Next step: password", schema: StateBody } },
});
phoneSignupRoutes.post("/verify-email", jsonBody(CodeBody), async (c) => {
  const { signupToken: token, code } = c.req.valid("json");
  await enforceRateLimit(c, "code.verify");
  const result = await verifySignupCode(c.env, { token, code }, "verify-email");
  if (!result.ok) throw await signupError(c, result);
  return signupState(c, result);
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
  const binding = mfaBindingFor(c);
  const result = await completePhoneSignup(c.env, { token, password }, { device: deviceInfo(c.req.raw), binding, defer: deferFor(c) });
  if (!result.ok) throw await signupError(c, result);
  audit(c, { type: "phone.verified", userId: result.user.id, detail: { flow: "signup", passwordless: result.passwordless } });
  return respondToFirstFactor(c, result, "phone_signup", binding, {}, 201);
});
