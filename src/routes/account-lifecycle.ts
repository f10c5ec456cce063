// Leaving, and coming back: deactivate (every session ends; a sign-in within 30 days
// offers to reactivate), schedule deletion (14 days of grace, every session ends),
// cancel it, and reactivate. Deactivating and deleting need a recent sign-in.
import { Hono } from "hono";
import * as z from "zod/mini";
import { clock } from "../clock";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { DELETION_GRACE_MS, reactivateAccount, reactivationDeadline } from "../auth/account-lifecycle";
import { blockersToDeletion } from "../auth/organization-hooks";
import { deviceInfo } from "../auth/device";
import { endAllSessions } from "../auth/session";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireRecentAuth, requireUser } from "../http/guards";
import { mfaBindingFor } from "../http/mfa-cookie";
import { recipientLocale } from "../http/locale";
import { describeRoute, describeRoutes } from "../http/openapi";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { accountDeactivatedEmail, accountReactivatedEmail, deletionCancelledEmail, deletionScheduledEmail } from "../messages/account-notices";
import { sendMessage } from "../messages/outbox";
import { cancelDeletion, markDeactivated, scheduleDeletion } from "../storage/profile";
import { findUserById } from "../storage/users";
import { respondToFirstFactor } from "./sign-in-response";
import type { DeletionScheduled } from "../contract/me";

export const accountLifecycleRoutes = new Hono<AppEnv>();
export const reactivateRoutes = new Hono<AppEnv>();
describeRoutes(accountLifecycleRoutes, { tags: ["Account"], auth: "bearer" });
describeRoutes(reactivateRoutes, { tags: ["Sign-up and sign-in"] });

describeRoute(accountLifecycleRoutes, {
  summary:
    "Deactivate the account (needs a recent sign-in): every session ends. Signing in within 30 days answers 403 account_deactivated with a reactivationToken.",
  responses: { 204: "Deactivated", 403: "reauthentication_required" },
});
accountLifecycleRoutes.post("/deactivate", requireUser({ checkSession: true }), requireRecentAuth(), async (c) => {
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.lifecycle", { account: userId });
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  await markDeactivated(c.env, userId);
  const ended = await endAllSessions(c.env, userId);
  audit(c, { type: "account.deactivated", userId, sessionId: c.get("sessionId"), detail: { endedSessions: ended.length } });
  if (user.email) {
    const notice = accountDeactivatedEmail(config(c.env), recipientLocale(c, user), {
      purgeAt: reactivationDeadline({ deactivatedAt: clock.now() }),
      timeZone: user.timeZone,
    });
    c.executionCtx.waitUntil(sendMessage(c.env, "email", user.email, notice, { userId }));
  }
  return c.body(null, 204);
});

const Scheduled = z.object({ deletionScheduledAt: z.string() });
describeRoute(accountLifecycleRoutes, {
  summary:
    "Schedule the deletion of the account (needs a recent sign-in): 14 days of grace, every session ends. Sign in and POST /api/me/deletion/cancel to keep it.",
  responses: {
    202: { description: "Scheduled", schema: Scheduled },
    403: "reauthentication_required",
    409: "deletion_blocked (last owner of an organization)",
  },
});
accountLifecycleRoutes.delete("/", requireUser({ checkSession: true }), requireRecentAuth(), async (c) => {
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.lifecycle", { account: userId });
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  const blockers = await blockersToDeletion(c.env, userId);
  if (blockers.length) throw new ApiError("deletion_blocked", { extensions: { blockers } });
  const at = (await scheduleDeletion(c.env, userId, clock.now() + DELETION_GRACE_MS))!;
  const ended = await endAllSessions(c.env, userId);
  audit(c, { type: "account.deletion_scheduled", userId, sessionId: c.get("sessionId"), detail: { deletionScheduledAt: at, endedSessions: ended.length } });
  if (user.email)
    c.executionCtx.waitUntil(
      sendMessage(c.env, "email", user.email, deletionScheduledEmail(config(c.env), recipientLocale(c, user), { at, timeZone: user.timeZone }), { userId }),
    );
  c.header("cache-control", "no-store");
  return c.json({ deletionScheduledAt: new Date(at).toISOString() } satisfies DeletionScheduled, 202);
});

describeRoute(accountLifecycleRoutes, {
  summary: "Keep the account: cancels a scheduled deletion (sign in first; sessions ended when it was scheduled).",
  responses: { 204: "Cancelled (or nothing was scheduled)" },
});
accountLifecycleRoutes.post("/deletion/cancel", requireUser({ checkSession: true }), async (c) => {
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.lifecycle", { account: userId });
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  if (await cancelDeletion(c.env, userId)) {
    audit(c, { type: "account.deletion_cancelled", userId, sessionId: c.get("sessionId") });
    if (user.email)
      c.executionCtx.waitUntil(sendMessage(c.env, "email", user.email, deletionCancelledEmail(config(c.env), recipientLocale(c, user)), { userId }));
  }
  return c.body(null, 204);
});

const ReactivateBody = z.object({ reactivationToken: f.linkToken });
const TokenBody = z.object({ accessToken: z.string(), tokenType: z.literal("Bearer"), expiresIn: z.number(), refreshToken: z.optional(z.string()) });
describeRoute(reactivateRoutes, {
  body: ReactivateBody,
  summary:
    "Switch a deactivated account back on with the reactivationToken from the 403 account_deactivated of a sign-in, and sign in. Single use, 10 minutes.",
  responses: {
    200: { description: "Reactivated and signed in, or `{mfaRequired, mfaToken, methods}` when two-step verification is on", schema: TokenBody },
    400: "invalid_code",
  },
});
reactivateRoutes.post("/reactivate", jsonBody(ReactivateBody), async (c) => {
  const { reactivationToken } = c.req.valid("json");
  await enforceRateLimit(c, "auth.reactivate");
  const binding = mfaBindingFor(c);
  const result = await reactivateAccount(c.env, reactivationToken, { device: deviceInfo(c.req.raw), binding, defer: (work) => c.executionCtx.waitUntil(work) });
  if (!result.ok) throw new ApiError("invalid_code", { detail: "This reactivation is not valid or has expired. Sign in again." });
  const { user } = result;
  audit(c, { type: "account.reactivated", userId: user.id, sessionId: "session" in result ? result.session.sessionId : undefined });
  if (user.email)
    c.executionCtx.waitUntil(sendMessage(c.env, "email", user.email, accountReactivatedEmail(config(c.env), recipientLocale(c, user)), { userId: user.id }));
  return respondToFirstFactor(c, result, result.method, binding);
});
