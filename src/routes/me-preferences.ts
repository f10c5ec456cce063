// The signed-in user's preferences: the language of every message the service sends
// them, and which optional notices they want (security notices cannot be turned off).
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { notificationPrefs, storedPrefs } from "../auth/preferences";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { setNotificationPrefs, updateProfile } from "../storage/profile";
import type { User } from "../storage/schema";
import { findUserById } from "../storage/users";
import type { Preferences } from "../contract/me";

export const mePreferencesRoutes = new Hono<AppEnv>();
describeRoutes(mePreferencesRoutes, { tags: ["Account"], auth: "bearer" });

const PreferencesBody = z.object({
  locale: z.nullable(z.string()),
  notifications: z.object({ security: z.literal(true), newDevice: z.boolean() }),
});
const preferencesOf = (user: User) => ({ locale: user.locale, notifications: notificationPrefs(user) });

describeRoute(mePreferencesRoutes, {
  summary: "Language of messages (null: the browser's) and notices: `security` is always true; `newDevice` (sign-in from a new device) is optional.",
  responses: { 200: { description: "Preferences", schema: PreferencesBody } },
});
mePreferencesRoutes.get("/", requireUser(), async (c) => {
  const user = await findUserById(c.env, c.get("userId")!);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  c.header("cache-control", "no-store");
  return c.json(preferencesOf(user) satisfies Preferences);
});

// `security: false` is refused rather than ignored, so a client cannot believe it worked.
const PatchBody = z.object({
  locale: z.optional(z.nullable(f.messageLocale)),
  notifications: z.optional(
    z.object({
      security: z.optional(z.literal(true, { error: "Security notices cannot be turned off." })),
      newDevice: z.optional(z.boolean()),
    }),
  ),
});
describeRoute(mePreferencesRoutes, {
  body: PatchBody,
  summary: "Change the language of messages and the optional notices.",
  responses: { 200: { description: "Preferences", schema: PreferencesBody }, 400: "validation_failed (e.g. security: false)" },
});
mePreferencesRoutes.patch("/", requireUser({ checkSession: true }), jsonBody(PatchBody), async (c) => {
  const body = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.profile", { account: userId });
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  if (body.locale !== undefined) await updateProfile(c.env, userId, { locale: body.locale });
  if (body.notifications?.newDevice !== undefined) {
    await setNotificationPrefs(c.env, userId, storedPrefs({ ...notificationPrefs(user), newDevice: body.notifications.newDevice }));
  }
  const updated = (await findUserById(c.env, userId))!;
  audit(c, {
    type: "preferences.updated",
    userId,
    sessionId: c.get("sessionId"),
    detail: { locale: updated.locale, newDevice: notificationPrefs(updated).newDevice },
  });
  c.header("cache-control", "no-store");
  return c.json(preferencesOf(updated) satisfies Preferences);
});
