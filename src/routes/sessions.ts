// The signed-in user's sessions (devices): list them, end one, end all the others.
// Ending goes through the user's SessionFence object, so the ended session's refresh
// token fails at once everywhere (not after KV propagation).
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { endAllSessions, endSession, sessionFence } from "../auth/session";
import { clock } from "../clock";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import { ID } from "../model/ids";
import type { SessionsEnded, SessionsResponse } from "../contract/me";
import { iso } from "../model/time";

export const sessionRoutes = new Hono<AppEnv>();
describeRoutes(sessionRoutes, { tags: ["Sessions and activity"], auth: "bearer" });

const SessionItem = z.object({
  id: z.string(),
  current: z.boolean(),
  device: z.string(),
  ip: z.string(),
  country: z.nullable(z.string()),
  city: z.nullable(z.string()),
  method: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  amr: z.array(z.string()),
  authenticatedAt: z.string(),
});
describeRoute(sessionRoutes, {
  summary: "The user's live sessions, most recently used first; `current` marks the one making this request.",
  responses: { 200: { description: "Sessions", schema: z.object({ sessions: z.array(SessionItem) }) } },
});
sessionRoutes.get("/", requireUser(), async (c) => {
  await enforceRateLimit(c, "me.sessions", { account: c.get("userId") });
  const list = await sessionFence(c.env, c.get("userId")!).list(clock.now());
  c.header("cache-control", "no-store");
  return c.json({
    sessions: list.map((s) => ({
      id: s.id,
      current: s.id === c.get("sessionId"),
      device: s.device,
      ip: s.ip,
      country: s.country ?? null,
      city: s.city ?? null,
      method: s.method,
      createdAt: iso(s.createdAt),
      lastUsedAt: iso(s.lastUsedAt),
      // How and when the person last proved who they are here (README "Second factors and passkeys").
      amr: s.amr ?? [],
      authenticatedAt: iso(s.authenticatedAt ?? s.createdAt),
    })),
  } satisfies SessionsResponse);
});

const SESSION_ID = ID.record;
describeRoute(sessionRoutes, {
  summary: "End one session (it may be the current one). Its refresh token stops working at once.",
  responses: { 204: "Ended", 404: "not_found: no live session with that id" },
});
sessionRoutes.delete("/:id", requireUser(), async (c) => {
  const id = c.req.param("id");
  await enforceRateLimit(c, "me.sessions", { account: c.get("userId") });
  if (!SESSION_ID.test(id) || !(await endSession(c.env, c.get("userId")!, id))) throw new ApiError("not_found", { detail: "No live session with that id." });
  audit(c, { type: "session.revoked", userId: c.get("userId"), sessionId: id, reason: "user", detail: { byCurrentSession: id === c.get("sessionId") } });
  return c.body(null, 204);
});

describeRoute(sessionRoutes, {
  summary: "End every session except the current one.",
  responses: { 200: { description: "How many sessions ended", schema: z.object({ ended: z.number() }) } },
});
sessionRoutes.delete("/", requireUser(), async (c) => {
  await enforceRateLimit(c, "me.sessions", { account: c.get("userId") });
  const ended = await endAllSessions(c.env, c.get("userId")!, c.get("sessionId"));
  for (const id of ended) audit(c, { type: "session.revoked", userId: c.get("userId"), sessionId: id, reason: "user_all_others" });
  c.header("cache-control", "no-store");
  return c.json({ ended: ended.length } satisfies SessionsEnded);
});
