// Passwordless sign-in with a one-time code: to a verified phone (SMS, WhatsApp,
// Telegram) or a verified email (code, plus a magic link). Same 202 whether or not the
// phone or email belongs to anyone; same tokens and cookies as password sign-in.
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sendSignInCode, signInWithCode, type CodeSignInResult, type SignInCode } from "../auth/code-sign-in";
import { deviceInfo } from "../auth/device";
import { enforceRateLimit } from "../guard/rate-limit";
import { codeRefusal } from "../http/code-refusal";
import { requestLocale } from "../http/locale";
import { mfaBindingFor } from "../http/mfa-cookie";
import { describeRoute, describeRoutes } from "../http/openapi";
import { channelFromRequest, phoneFromRequest, phoneSendSubjects } from "../http/phone-input";
import { accepted } from "../http/respond";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { normalizeEmail } from "../storage/users";
import { deactivatedError } from "./sign-in-lifecycle";
import { respondToFirstFactor } from "./sign-in-response";

export const otpRoutes = new Hono<AppEnv>();
describeRoutes(otpRoutes, { tags: ["Passwordless sign-in"] });
const PURPOSE = "sign-in";
const purpose = z.optional(z.literal(PURPOSE));

// ---------------------------------------------------------------------------
const SendBody = z.union([
  z.object({ phone: f.phone, channel: z.optional(f.channel), purpose, locale: z.optional(f.locale) }),
  z.object({ email: f.email, purpose, locale: z.optional(f.locale) }),
]);
describeRoute(otpRoutes, {
  body: SendBody,
  summary:
    "Send a sign-in code to a verified phone (channel sms, whatsapp or telegram; fallback per PHONE_FALLBACK) or email (code + magic link). Always the same 202.",
  responses: { 202: "Accepted", 400: "invalid_phone_number or validation_failed", 429: "rate_limited (60 s resend cooldown, daily caps)" },
});
otpRoutes.post("/send", jsonBody(SendBody), async (c) => {
  const body = c.req.valid("json");
  const context = { locale: requestLocale(c, body.locale), defer: (work: Promise<unknown>) => c.executionCtx.waitUntil(work) };
  if ("phone" in body) {
    const phone = await phoneFromRequest(c, body.phone);
    const channel = channelFromRequest(c, body.channel);
    await enforceRateLimit(c, "code.send-phone", phoneSendSubjects(phone));
    await sendSignInCode(c.env, { phone: phone.e164, channel }, context);
    return accepted(c);
  }
  const email = normalizeEmail(body.email);
  await enforceRateLimit(c, "code.send-email", { target: email });
  await sendSignInCode(c.env, { email }, context);
  return accepted(c);
});

// ---------------------------------------------------------------------------
const TokenBody = z.object({ accessToken: z.string(), tokenType: z.literal("Bearer"), expiresIn: z.number(), refreshToken: z.optional(z.string()) });
const VerifyBody = z.union([
  z.object({ phone: f.phone, code: f.code, purpose }),
  z.object({ email: f.email, code: f.code, purpose }),
  z.object({ token: f.linkToken, purpose }),
]);
describeRoute(otpRoutes, {
  body: VerifyBody,
  summary: "Sign in with the code (phone or email) or the magic-link token. Same tokens and cookies as /api/auth/login.",
  responses: { 200: { description: "Signed in", schema: TokenBody }, 400: "invalid_code or code_expired", 429: "too_many_attempts" },
});
otpRoutes.post("/verify", jsonBody(VerifyBody), async (c) => {
  const body = c.req.valid("json");
  await enforceRateLimit(c, "code.verify");
  const input: SignInCode =
    "token" in body
      ? { token: body.token }
      : "phone" in body
        ? { phone: (await phoneFromRequest(c, body.phone)).e164, code: body.code }
        : { email: normalizeEmail(body.email), code: body.code };
  const binding = mfaBindingFor(c);
  const result = await signInWithCode(c.env, input, { device: deviceInfo(c.req.raw), binding, defer: (work) => c.executionCtx.waitUntil(work) });
  if (!result.ok) throw await codeSignInError(c, result);
  return respondToFirstFactor(c, result, result.method, binding);
});

/** The wire answer to a refused code sign-in: a gone owner reads like a wrong code. */
async function codeSignInError(c: Context<AppEnv>, result: Extract<CodeSignInResult, { ok: false }>): Promise<ApiError> {
  if (result.reason === "code_refused") return codeRefusal(c, result.failure);
  if (result.reason === "deactivated") return deactivatedError(c, result, new ApiError("invalid_code"));
  return new ApiError("invalid_code");
}
