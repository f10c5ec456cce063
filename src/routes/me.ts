// The signed-in user: profile and password change.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError, type FieldError } from "../errors";
import { canonicalTimeZone, isReservedUsername } from "../auth/profile-rules";
import { verifyPasswordHash } from "../auth/password-hash";
import { hashConfig, newPasswordError, prepareNewPassword } from "../auth/passwords";
import { endAllSessions } from "../auth/session";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireRecentAuth, requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import { profileBody } from "../http/respond";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { type ProfilePatch, updateProfile } from "../storage/profile";
import { findUserById, findUserProfile, getPasswordHash, replacePassword } from "../storage/users";
import { recordRightPassword, recordSignInFailure, reserveSignInAttempt } from "./sign-in-events";
import { tellOwnerOfMethodChange } from "./sign-in-method-events";
import type { MeResponse, Profile } from "../contract/me";

export const meRoutes = new Hono<AppEnv>();
describeRoutes(meRoutes, { tags: ["Account"], auth: "bearer" });

const UserBody = z.object({
  id: z.string(),
  email: z.nullable(z.string()),
  emailVerified: z.boolean(),
  name: z.nullable(z.string()),
  createdAt: z.string(),
  username: z.nullable(z.string()),
  avatarUrl: z.nullable(z.string()),
  locale: z.nullable(z.string()),
  timeZone: z.nullable(z.string()),
  deletionScheduledAt: z.nullable(z.string()),
  isPlatformAdmin: z.boolean(),
  impersonatedBy: z.nullable(z.string()),
});
describeRoute(meRoutes, {
  summary: "The signed-in user's profile.",
  responses: { 200: { description: "The user", schema: UserBody } },
});
// Served from a short-lived cache (src/storage/profile-cache.ts: at most 30 s stale; the
// isolate that disables an account answers fresh at once). One of the two /api/me routes
// that skip the session fence (see requireUser): a revoked session's token reads its own
// profile for at most the token's remaining minutes.
meRoutes.get("/", requireUser({ allowPending: true, checkSession: false }), async (c) => {
  const user = await findUserProfile(c.env, c.get("userId")!);
  // A deactivated account's last access tokens (<= 15 min) read nothing either.
  if (!user || user.disabledAt || user.deactivatedAt) throw new ApiError("invalid_token");
  c.header("cache-control", "no-store");
  // isPlatformAdmin shows the admin area; impersonatedBy the impersonation banner (README "Admin").
  return c.json({ ...profileBody(user), isPlatformAdmin: user.isPlatformAdmin, impersonatedBy: c.get("impersonatorId") ?? null } satisfies MeResponse);
});

// null clears a field. Unknown fields are stripped (src/http/validate.ts).
const PatchBody = z.object({
  name: z.optional(z.nullable(f.name)),
  username: z.optional(z.nullable(f.username)),
  locale: z.optional(z.nullable(f.messageLocale)),
  timeZone: z.optional(z.nullable(f.timeZone)),
});
describeRoute(meRoutes, {
  body: PatchBody,
  summary:
    "Edit the profile: name, username (unique, case-insensitive; usable at password sign-in), language of messages (en, es), IANA time zone. null clears a field.",
  responses: {
    200: { description: "The updated profile", schema: UserBody },
    400: "validation_failed (reserved username, unknown time zone)",
    409: "username_taken",
  },
});
meRoutes.patch("/", requireUser({ checkSession: true }), jsonBody(PatchBody), async (c) => {
  const body = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.profile", { account: userId });
  const patch = profilePatch(body);
  if ((await updateProfile(c.env, userId, patch)) === "username_taken") throw new ApiError("username_taken");
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  const fields = Object.keys(patch);
  if (fields.length) audit(c, { type: "profile.updated", userId, sessionId: c.get("sessionId"), detail: { fields: fields.join(",") } });
  c.header("cache-control", "no-store");
  return c.json(profileBody(user) satisfies Profile);
});

/** The validated body as columns: reserved usernames and unknown zones are refused here. */
function profilePatch(body: z.output<typeof PatchBody>): ProfilePatch {
  const patch: ProfilePatch = {};
  const errors: FieldError[] = [];
  if (body.name !== undefined) patch.name = body.name || null;
  if (body.username !== undefined) {
    if (body.username !== null && isReservedUsername(body.username)) errors.push({ path: "username", message: "This username is reserved." });
    else patch.username = body.username;
  }
  if (body.locale !== undefined) patch.locale = body.locale;
  if (body.timeZone !== undefined) {
    const zone = body.timeZone === null ? null : canonicalTimeZone(body.timeZone);
    if (body.timeZone !== null && zone === null) errors.push({ path: "timeZone", message: "Use an IANA time zone such as Europe/Madrid." });
    else patch.timeZone = zone;
  }
  if (errors.length) throw new ApiError("validation_failed", { errors });
  return patch;
}

// What the caller's access token says, checked (signature, iss, aud, typ, exp) but with
// no store read: the cheapest authenticated request, for clients and the benchmarks.
const TokenInfo = z.object({ userId: z.string(), sessionId: z.string(), expiresAt: z.string() });
describeRoute(meRoutes, {
  summary: "The verified claims of the caller's access token (no database read).",
  responses: { 200: { description: "Token claims", schema: TokenInfo } },
});
meRoutes.get("/token", requireUser({ checkSession: false }), (c) => {
  c.header("cache-control", "no-store");
  return c.json({ userId: c.get("userId")!, sessionId: c.get("sessionId")!, expiresAt: new Date(c.get("accessExpiresAt")! * 1000).toISOString() });
});

const ChangePasswordBody = z.object({ currentPassword: f.password, newPassword: f.password, keepOtherSessions: z.optional(z.boolean()) });
describeRoute(meRoutes, {
  body: ChangePasswordBody,
  summary:
    "Change the password. Needs a sign-in within REAUTH_WINDOW_SECONDS. A wrong current password counts as a failed sign-in of the account (lock-out). Other sessions end unless keepOtherSessions is true.",
  responses: { 204: "Password changed", 401: "invalid_credentials", 403: "reauthentication_required", 429: "sign_in_throttled" },
});
meRoutes.post("/password", requireUser(), requireRecentAuth(), jsonBody(ChangePasswordBody), async (c) => {
  const { currentPassword, newPassword, keepOtherSessions } = c.req.valid("json");
  await enforceRateLimit(c, "me.password", { account: c.get("userId") });
  const user = await findUserById(c.env, c.get("userId")!);
  const currentHash = user ? await getPasswordHash(c.env, user.id) : null;
  if (!user?.email || !currentHash) throw new ApiError("invalid_credentials", { detail: "The current password is not correct." });
  // The current password is a password guess like any sign-in: counted in the same
  // per-account lock-out, so a stolen session cannot try passwords here without limit.
  const attempt = await reserveSignInAttempt(c, user.email);
  if (!(await verifyPasswordHash(currentPassword.normalize("NFKC"), currentHash, hashConfig(c.env))).ok) {
    recordSignInFailure(c, attempt, user, "bad_current_password");
    throw new ApiError("invalid_credentials", { detail: "The current password is not correct." });
  }
  await recordRightPassword(c, user.email);
  const next = await prepareNewPassword(c.env, newPassword, user, currentHash);
  if (!next.ok) throw newPasswordError(next);

  await replacePassword(c.env, user.id, currentHash, next.hash);
  const ended = keepOtherSessions ? [] : await endAllSessions(c.env, user.id, c.get("sessionId"));
  audit(c, { type: "password.changed", userId: user.id, sessionId: c.get("sessionId"), detail: { endedSessions: ended.length } });
  tellOwnerOfMethodChange(c, user, { type: "password_changed" });
  return c.body(null, 204);
});
