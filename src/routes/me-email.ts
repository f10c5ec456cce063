// Changing the account's email: re-authenticate, get a code at the NEW address, confirm
// it. The old address is then told, with a link that for 7 days puts it back and ends
// every session (README "Email change"). Whether the new address belongs to another
// account is never said to the requester: that address gets a notice instead of a code,
// so only its owner learns anything.
import { Hono } from "hono";
import * as z from "zod/mini";
import { clock } from "../clock";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { CODE_TTL_MS, issueCode, redeemCode } from "../auth/one-time-code";
import { randomToken, sha256Hex } from "../auth/secrets";
import { endAllSessions } from "../auth/session";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { codeRefusal } from "../http/code-refusal";
import { requireRecentAuth, requireUser } from "../http/guards";
import { recipientLocale } from "../http/locale";
import { describeRoute, describeRoutes } from "../http/openapi";
import { accepted, profileBody } from "../http/respond";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { emailChangeCodeEmail, emailChangedEmail, emailChangeRevertedEmail, emailInUseEmail } from "../messages/account-notices";
import { sendMessage } from "../messages/outbox";
import { applyEmailChange, findEmailChangeByToken, revertEmailChange } from "../storage/email-changes";
import { getJson, kvKeys, putJson } from "../storage/kv";
import { findUserByEmail, findUserById, normalizeEmail } from "../storage/users";
import type { Profile } from "../contract/me";

export const meEmailRoutes = new Hono<AppEnv>();
export const emailChangeRevertRoutes = new Hono<AppEnv>();
describeRoutes(meEmailRoutes, { tags: ["Account"], auth: "bearer" });
describeRoutes(emailChangeRevertRoutes, { tags: ["Account"] });
const PURPOSE = "change-email";
export const REVERT_WINDOW_MS = 7 * 86400 * 1000;
// The code is bound to the account AND the address: a code for one address never confirms another.
const codeTarget = (userId: string, email: string) => `${userId}:${email}`;
type PendingChange = { newEmail: string };

const RequestBody = z.object({ newEmail: f.email });
describeRoute(meEmailRoutes, {
  body: RequestBody,
  summary: "Start an email change (needs a recent sign-in): a code goes to the new address. Always 202.",
  responses: { 202: "Accepted", 403: "reauthentication_required" },
});
meEmailRoutes.post("/", requireUser({ checkSession: true }), requireRecentAuth(), jsonBody(RequestBody), async (c) => {
  const newEmail = normalizeEmail(c.req.valid("json").newEmail);
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.email-change", { account: userId });
  await enforceRateLimit(c, "code.send-email", { target: newEmail });
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  if (user.email === newEmail) throw new ApiError("validation_failed", { errors: [{ path: "newEmail", message: "This is already the account's email." }] });

  await putJson(c.env.KV, kvKeys.emailChange(userId), { newEmail } satisfies PendingChange, CODE_TTL_MS / 1000);
  const owner = await findUserByEmail(c.env, newEmail);
  const cfg = config(c.env);
  const send = async () => {
    // Issued either way, so confirming fails the same way (and counts failures) for a taken address.
    const { code, expiresAt } = await issueCode(c.env, PURPOSE, codeTarget(userId, newEmail), userId);
    if (owner) await sendMessage(c.env, "email", newEmail, emailInUseEmail(cfg, recipientLocale(c, owner)), { userId: owner.id });
    else await sendMessage(c.env, "email", newEmail, emailChangeCodeEmail(cfg, recipientLocale(c, user), code), { userId, expiresAt });
  };
  c.executionCtx.waitUntil(send());
  audit(c, { type: "email.change_requested", userId, sessionId: c.get("sessionId") });
  return accepted(c);
});

const VerifyBody = z.object({ code: f.code });
describeRoute(meEmailRoutes, {
  body: VerifyBody,
  summary: "Confirm the new address with its code: the email changes, and the old address gets a 7-day revert link.",
  responses: { 200: "The profile with the new email", 400: "invalid_code or code_expired", 409: "email_unavailable", 429: "too_many_attempts" },
});
meEmailRoutes.post("/verify", requireUser({ checkSession: true }), jsonBody(VerifyBody), async (c) => {
  const { code } = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.email-change-verify", { account: userId });
  const pending = await getJson<PendingChange>(c.env.KV, kvKeys.emailChange(userId));
  if (!pending) throw new ApiError("invalid_code", { detail: "There is no email change to confirm. Start again." });
  const result = await redeemCode(c.env, PURPOSE, codeTarget(userId, pending.newEmail), code);
  if (!result.ok) throw await codeRefusal(c, result.reason);
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");

  const revertToken = randomToken();
  const revertUntil = clock.now() + REVERT_WINDOW_MS;
  const applied = await applyEmailChange(c.env, {
    userId,
    oldEmail: user.email,
    newEmail: pending.newEmail,
    revertTokenHash: sha256Hex(revertToken),
    revertExpiresAt: revertUntil,
  });
  // Only someone who read the code at that address gets here, so saying it cannot be used reveals nothing new.
  if (applied === "taken") throw new ApiError("email_unavailable");
  await c.env.KV.delete(kvKeys.emailChange(userId));
  if (user.email) {
    const notice = emailChangedEmail(config(c.env), recipientLocale(c, user), {
      newEmail: pending.newEmail,
      revertToken,
      revertUntil,
      timeZone: user.timeZone,
    });
    c.executionCtx.waitUntil(sendMessage(c.env, "email", user.email, notice, { userId }));
  }
  audit(c, { type: "email.changed", userId, sessionId: c.get("sessionId"), detail: { hadEmail: user.email !== null } });
  c.header("cache-control", "no-store");
  return c.json(profileBody({ ...user, email: pending.newEmail, emailVerifiedAt: clock.now() }) satisfies Profile);
});

const RevertBody = z.object({ token: f.linkToken });
describeRoute(emailChangeRevertRoutes, {
  body: RevertBody,
  summary: "The link sent to the old address: puts the old email back and ends every session. Single use, 7 days.",
  responses: { 204: "Reverted", 400: "invalid_code or code_expired", 409: "email_unavailable (the old address now has another account)" },
});
emailChangeRevertRoutes.post("/revert", jsonBody(RevertBody), async (c) => {
  const { token } = c.req.valid("json");
  await enforceRateLimit(c, "auth.email-change-revert");
  const change = await findEmailChangeByToken(c.env, sha256Hex(token));
  if (!change || change.revertedAt !== null) throw new ApiError("invalid_code", { detail: "This link is not valid or was already used." });
  if (clock.now() >= change.revertExpiresAt) throw new ApiError("code_expired", { detail: "This link has expired." });
  const outcome = await revertEmailChange(c.env, change);
  if (outcome === "used") throw new ApiError("invalid_code", { detail: "This link is not valid or was already used." });
  if (outcome === "taken") throw new ApiError("email_unavailable");

  const ended = await endAllSessions(c.env, change.userId);
  await c.env.KV.delete(kvKeys.emailChange(change.userId));
  const user = await findUserById(c.env, change.userId);
  if (user?.email)
    c.executionCtx.waitUntil(sendMessage(c.env, "email", user.email, emailChangeRevertedEmail(config(c.env), recipientLocale(c, user)), { userId: user.id }));
  audit(c, { type: "email.change_reverted", userId: change.userId, detail: { endedSessions: ended.length } });
  return c.body(null, 204);
});
