// Forgotten passwords: ask for a reset code, then set a new password with it.
import { Hono } from "hono";
import * as z from "zod/mini";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { issueCode, peekLinkTarget, redeemCode, redeemLinkToken } from "../auth/one-time-code";
import { clearSignInFailures } from "../auth/lockout";
import { PASSWORD_MAX_LENGTH } from "../auth/password-policy";
import { checkNewPassword, newPasswordError, prepareNewPassword } from "../auth/passwords";
import { endAllSessions } from "../auth/session";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { describeRoute } from "../http/openapi";
import { accepted } from "../http/respond";
import * as f from "../http/schemas";
import { recipientLocale } from "../http/locale";
import { jsonBody } from "../http/validate";
import { sendMessage } from "../messages/outbox";
import { passwordChangedEmail, passwordResetEmail } from "../messages/templates";
import { findUserByEmail, getPasswordHash, markEmailVerified, normalizeEmail, replacePassword } from "../storage/users";
import { codeError } from "./auth";

export const passwordRoutes = new Hono<AppEnv>();
const tags = ["Passwords"];

describeRoute({
  method: "get", path: "/api/auth/password/policy", tags,
  summary: "The password rules clients show before submitting (the server still decides, with weak_password and a reason).",
  responses: { 200: "{minLength, maxLength}" },
});
passwordRoutes.get("/policy", (c) => {
  c.header("cache-control", "public, max-age=300");
  return c.json({ minLength: config(c.env).passwordMinLength, maxLength: PASSWORD_MAX_LENGTH });
});

const ForgotBody = z.object({ email: f.email });
describeRoute({
  method: "post", path: "/api/auth/password/forgot", tags, body: ForgotBody,
  summary: "Send a password reset code and link, if the account exists. Always 202.",
  responses: { 202: "Accepted" },
});
passwordRoutes.post("/forgot", jsonBody(ForgotBody), async (c) => {
  const { email } = c.req.valid("json");
  await enforceRateLimit(c, "auth.password-forgot", { target: normalizeEmail(email) });
  const user = await findUserByEmail(c.env, email);
  if (user?.email && !user.disabledAt) {
    const to = user.email;
    const locale = recipientLocale(c, user);
    c.executionCtx.waitUntil(
      issueCode(c.env, "reset-password", to, user.id).then(({ code, token, expiresAt }) => sendMessage(c.env, "email", to, passwordResetEmail(config(c.env), locale, code, token), { userId: user.id, expiresAt, locale })),
    );
  }
  return accepted(c);
});

const ResetBody = z.union([
  z.object({ email: f.email, code: f.code, password: f.password }),
  z.object({ token: f.linkToken, password: f.password }),
]);
describeRoute({
  method: "post", path: "/api/auth/password/reset", tags, body: ResetBody,
  summary: "Set a new password with the reset code (plus email) or the link token. Every session of the user ends.",
  responses: { 204: "Password changed" },
});
passwordRoutes.post("/reset", jsonBody(ResetBody), async (c) => {
  const body = c.req.valid("json");
  await enforceRateLimit(c, "auth.password-reset");
  const target = "token" in body ? await peekLinkTarget(c.env, "reset-password", body.token) : normalizeEmail(body.email);
  // The policy (with the target email as context word) runs for everyone before the code
  // is spent, so a weak password does not burn it and says nothing about the account.
  // The breached-password check too: it depends only on the password.
  const policy = await checkNewPassword(c.env, body.password, { email: target });
  if (!policy.ok) throw newPasswordError(policy);
  // The code comes next; the account's own data (its password history) is consulted only
  // with a valid code. Checking "recently used" first made this route an oracle that
  // confirms guesses of the current password without the code and outside the sign-in
  // limits, and made existing and unknown emails answer differently.
  const result = "token" in body ? await redeemLinkToken(c.env, "reset-password", body.token) : await redeemCode(c.env, "reset-password", target!, body.code);
  if (!result.ok) throw codeError(result.reason);
  const user = await findUserByEmail(c.env, result.target);
  if (!user || user.disabledAt || result.userId !== user.id) throw new ApiError("invalid_code");
  const currentHash = await getPasswordHash(c.env, user.id);
  const next = await prepareNewPassword(c.env, body.password, user, currentHash, { breachChecked: true });
  // The code is spent by now: reusing a recent password means asking for a new one.
  if (!next.ok) throw new ApiError("weak_password", { detail: `${next.reason} Ask for a new code.` });

  await replacePassword(c.env, user.id, currentHash, next.hash);
  // Receiving the code proves the mailbox, so the email counts as verified now.
  await markEmailVerified(c.env, user.id);
  const ended = await endAllSessions(c.env, user.id);
  // The reset proves the mailbox: failed sign-ins are forgiven, so a reset ends a lockout at once.
  await clearSignInFailures(c.env, user.email!);
  audit(c, { type: "password.reset", userId: user.id, detail: { endedSessions: ended.length } });
  c.executionCtx.waitUntil(sendMessage(c.env, "email", user.email!, passwordChangedEmail(config(c.env), recipientLocale(c, user))));
  return c.body(null, 204);
});
