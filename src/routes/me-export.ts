// GET /api/me/export: everything held about the signed-in user, as a JSON download.
import { Hono } from "hono";
import { clock } from "../clock";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { exportAccount } from "../auth/account-export";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import { findUserById } from "../storage/users";

export const meExportRoutes = new Hono<AppEnv>();
describeRoutes(meExportRoutes, { tags: ["Account"], auth: "bearer" });

describeRoute(meExportRoutes, {
  summary:
    "Download everything held about the user (profile, preferences, identities without secrets, sessions, email changes, memberships, activity) as a JSON attachment.",
  responses: { 200: "application/json attachment", 429: "rate_limited (3 an hour)" },
});
meExportRoutes.get("/", requireUser({ checkSession: true }), async (c) => {
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.export", { account: userId });
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  const document = await exportAccount(c.env, user);
  audit(c, { type: "account.exported", userId, sessionId: c.get("sessionId") });
  const day = new Date(clock.now()).toISOString().slice(0, 10);
  return new Response(JSON.stringify(document, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="account-export-${day}.json"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
