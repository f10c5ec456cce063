// Forgotten passwords: ask for a reset code, then set a new password with it.
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sendOneTimeCode } from "../auth/code-delivery";
import { issueCode, peekLinkTarget, redeemCode, redeemLinkToken } from "../auth/one-time-code";
import { clearSignInFailures } from "../auth/lockout";
import { PASSWORD_MAX_LENGTH } from "../auth/password-policy";
import { checkNewPassword, newPasswordError, prepareNewPassword } from "../auth/passwords";
import { endAllSessions } from "../auth/session";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { describeRoute, describeRoutes } from "../http/openapi";
import { accepted } from "../http/respond";
import * as f from "../http/schemas";
import { recipientLocale } from "../http/locale";
import { channelFromRequest, phoneFromRequest, phoneSendSubjects } from "../http/phone-input";
import { jsonBody } from "../http/validate";
import { sendMessage } from "../messages/outbox";
import type { Locale } from "../messages/message";
import { passwordResetEmail } from "../messages/templates";
import { findUserByPhone } from "../storage/phones";
import { findUserByEmail, getPasswordHash, markEmailVerified, normalizeEmail, replacePassword } from "../storage/users";
import { codeRefusal } from "../http/code-refusal";
import { tellOwnerOfMethodChange } from "./sign-in-method-events";
import type { PasswordPolicy } from "../contract/auth";

export const passwordRoutes = new Hono<AppEnv>();
describeRoutes(passwordRoutes, { tags: ["Passwords"] });

describeRoute(passwordRoutes, {
  summary: "The password rules clients show before submitting (the server still decides, with weak_password and a reason).",
  responses: { 200: "{minLength, maxLength}" },
});
passwordRoutes.get("/policy", (c) => {
  c.header("cache-control", "public, max-age=300");
  return c.json({ minLength: config(c.env).passwordMinLength, maxLength: PASSWORD_MAX_LENGTH } satisfies PasswordPolicy);
});

// One object (not a union) so a bad field is named in the 400.
const ForgotBody = z
  .object({ email: z.optional(f.email), phone: z.optional(f.phone), channel: z.optional(f.channel) })
  .check(z.refine((b) => (b.email === undefined) !== (b.phone === undefined), { message: "Send either email or phone.", path: ["email"] }));
describeRoute(passwordRoutes, {
  body: ForgotBody,
  summary:
    "Send a password reset code (and link, by email) to the account's email, or by SMS/WhatsApp/Telegram to its verified phone, if the account exists. Always 202.",
  responses: { 202: "Accepted", 400: "invalid_phone_number or validation_failed", 429: "rate_limited" },
});
passwordRoutes.post("/forgot", jsonBody(ForgotBody), async (c) => {
  const body = c.req.valid("json");
  if (body.phone !== undefined) return forgotByPhone(c, body.phone, body.channel);
  const target = normalizeEmail(body.email!);
  await enforceRateLimit(c, "auth.password-forgot", { target });
  const user = await findUserByEmail(c.env, target);
  const owner = user?.email && !user.disabledAt ? user : null;
  c.executionCtx.waitUntil(sendResetCode(c.env, target, owner, recipientLocale(c, owner)));
  return accepted(c);
});

/**
 * A code is issued whether or not the account exists; only an owner is sent it. So the
 * reset step answers wrong codes the same way (5 per issued code, then too_many_attempts)
 * for known and unknown addresses: no oracle there either.
 */
async function sendResetCode(env: Env, email: string, owner: { id: string } | null, locale: Locale): Promise<void> {
  const { code, token, expiresAt } = await issueCode(env, "reset-password", email, owner?.id ?? null);
  if (owner) await sendMessage(env, "email", email, passwordResetEmail(config(env), locale, code, token), { userId: owner.id, expiresAt, locale });
}

/**
 * The same reset by a verified phone. Same 202, same per-target budget as the email path,
 * plus the phone send budget every code to a phone pays (SMS pumping). A code is issued
 * for unknown numbers too (and sent to nobody), so the reset step fails alike for both.
 */
async function forgotByPhone(c: Context<AppEnv>, input: string, requestedChannel: string | undefined) {
  const phone = await phoneFromRequest(c, input);
  const channel = channelFromRequest(c, requestedChannel);
  await enforceRateLimit(c, "auth.password-forgot", { target: phone.e164 });
  await enforceRateLimit(c, "code.send-phone", phoneSendSubjects(phone));
  const user = await findUserByPhone(c.env, phone.e164);
  const known = user !== null && !user.disabledAt;
  c.executionCtx.waitUntil(
    sendOneTimeCode(c.env, {
      purpose: "reset-password",
      target: phone.e164,
      destination: { phone: phone.e164, channel },
      text: "reset-password",
      locale: recipientLocale(c, known ? user : null),
      userId: known ? user.id : null,
      deliver: known,
    }),
  );
  return accepted(c);
}

const ResetBody = z.union([
  z.object({ email: f.email, code: f.code, password: f.password }),
  z.object({ phone: f.phone, code: f.code, password: f.password }),
  z.object({ token: f.linkToken, password: f.password }),
]);
describeRoute(passwordRoutes, {
  body: ResetBody,
  summary: "Set a new password with the reset code (plus the email or phone it was sent to) or the link token. Every session of the user ends.",
  responses: { 204: "Password changed" },
});
passwordRoutes.post("/reset", jsonBody(ResetBody), async (c) => {
  const body = c.req.valid("json");
  await enforceRateLimit(c, "auth.password-reset");
  const target =
    "token" in body
      ? await peekLinkTarget(c.env, "reset-password", body.token)
      : "phone" in body
        ? (await phoneFromRequest(c, body.phone)).e164
        : normalizeEmail(body.email);
  // The policy (with the target email as context word) runs for everyone before the code
  // is spent, so a weak password does not burn it and says nothing about the account.
  // The breached-password check too: it depends only on the password.
  const policy = await checkNewPassword(c.env, body.password, { email: target?.startsWith("+") ? undefined : target });
  if (!policy.ok) throw newPasswordError(policy);
  // The code comes next; the account's own data (its password history) is consulted only
  // with a valid code. Checking "recently used" first made this route an oracle that
  // confirms guesses of the current password without the code and outside the sign-in
  // limits, and made existing and unknown emails answer differently.
  const result = "token" in body ? await redeemLinkToken(c.env, "reset-password", body.token) : await redeemCode(c.env, "reset-password", target!, body.code);
  if (!result.ok) throw await codeRefusal(c, result.reason);
  // Targets are E.164 numbers ("+...") or emails (never start with "+": src/http/schemas.ts).
  const byPhone = result.target.startsWith("+");
  const user = byPhone ? await findUserByPhone(c.env, result.target) : await findUserByEmail(c.env, result.target);
  if (!user || user.disabledAt || result.userId !== user.id) throw new ApiError("invalid_code");
  const currentHash = await getPasswordHash(c.env, user.id);
  const next = await prepareNewPassword(c.env, body.password, user, currentHash, { breachChecked: true });
  // The code is spent by now: reusing a recent password means asking for a new one.
  if (!next.ok) throw new ApiError("weak_password", { detail: `${next.reason} Ask for a new code.` });

  await replacePassword(c.env, user.id, currentHash, next.hash);
  // Receiving the code proves the mailbox, so the email counts as verified now.
  if (!byPhone) await markEmailVerified(c.env, user.id);
  const ended = await endAllSessions(c.env, user.id);
  // The reset proves the owner: failed sign-ins are forgiven, so a reset ends a lockout at once.
  if (user.email) await clearSignInFailures(c.env, user.email);
  audit(c, { type: "password.reset", userId: user.id, detail: { endedSessions: ended.length, channel: byPhone ? "phone" : "email" } });
  tellOwnerOfMethodChange(c, user, { type: "password_reset" });
  return c.body(null, 204);
});
