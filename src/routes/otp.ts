// Passwordless sign-in with a one-time code: to a verified phone (SMS, WhatsApp,
// Telegram) or a verified email (code, plus a magic link). Same 202 whether or not the
// phone or email belongs to anyone; same tokens and cookies as password sign-in.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sendOneTimeCode } from "../auth/code-delivery";
import { deviceInfo } from "../auth/device";
import { redeemCode, redeemLinkToken, type RedeemResult } from "../auth/one-time-code";
import { enforceRateLimit } from "../guard/rate-limit";
import { describeRoute, describeRoutes } from "../http/openapi";
import { channelFromRequest, phoneFromRequest, phoneSendSubjects } from "../http/phone-input";
import { accepted } from "../http/respond";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { recipientLocale } from "../http/locale";
import { refuseIfDeactivated } from "./sign-in-lifecycle";
import { findUserByPhone, touchPhoneIdentity } from "../storage/phones";
import { findUserByEmail, findUserById, normalizeEmail } from "../storage/users";
import { codeRefusal } from "../http/code-refusal";

import { finishFirstFactor } from "../auth/sign-in";
import { mfaBindingFor } from "../http/mfa-cookie";
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
  if ("phone" in body) {
    const phone = await phoneFromRequest(c, body.phone);
    const channel = channelFromRequest(c, body.channel);
    await enforceRateLimit(c, "code.send-phone", phoneSendSubjects(phone));
    const user = await findUserByPhone(c.env, phone.e164);
    const known = user !== null && !user.disabledAt;
    const locale = recipientLocale(c, known ? user : null, body.locale);
    c.executionCtx.waitUntil(
      sendOneTimeCode(c.env, {
        purpose: PURPOSE,
        target: phone.e164,
        destination: { phone: phone.e164, channel },
        text: "sign-in",
        locale,
        userId: known ? user.id : null,
        deliver: known,
      }),
    );
    return accepted(c);
  }
  const email = normalizeEmail(body.email);
  await enforceRateLimit(c, "code.send-email", { target: email });
  const user = await findUserByEmail(c.env, email);
  // Only a verified email signs in by code: an unverified one may have been registered
  // by someone else with a password they know (account pre-hijacking).
  const known = user !== null && user.emailVerifiedAt !== null && !user.disabledAt;
  const locale = recipientLocale(c, known ? user : null, body.locale);
  c.executionCtx.waitUntil(
    sendOneTimeCode(c.env, {
      purpose: PURPOSE,
      target: email,
      destination: { email },
      text: "sign-in",
      locale,
      userId: known ? user.id : null,
      deliver: known,
      magicLink: true,
    }),
  );
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
  let result: RedeemResult;
  let method: string;
  if ("token" in body) {
    result = await redeemLinkToken(c.env, PURPOSE, body.token);
    method = "magic_link";
  } else if ("phone" in body) {
    result = await redeemCode(c.env, PURPOSE, (await phoneFromRequest(c, body.phone)).e164, body.code);
    method = "phone_code";
  } else {
    result = await redeemCode(c.env, PURPOSE, normalizeEmail(body.email), body.code);
    method = "email_code";
  }
  if (!result.ok) throw await codeRefusal(c, result.reason);
  const user = result.userId ? await findUserById(c.env, result.userId) : null;
  // Still the owner? The phone may have moved to another account since the code was sent.
  const owner = !user
    ? null
    : method === "phone_code"
      ? await findUserByPhone(c.env, result.target)
      : user.email === result.target && user.emailVerifiedAt !== null
        ? user
        : null;
  if (!user || user.disabledAt || owner?.id !== user.id) throw new ApiError("invalid_code");
  await refuseIfDeactivated(c, user, method, new ApiError("invalid_code"));
  if (method === "phone_code") c.executionCtx.waitUntil(touchPhoneIdentity(c.env, result.target));

  const binding = mfaBindingFor(c);
  const signedIn = await finishFirstFactor(c.env, { user, method, device: deviceInfo(c.req.raw), binding });
  return respondToFirstFactor(c, signedIn, method, binding);
});
