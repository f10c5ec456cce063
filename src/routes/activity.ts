// The signed-in user's own security history (the audit trail), newest first, paginated
// by an opaque cursor.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { deviceLabel } from "../auth/device";
import { enforceRateLimit } from "../guard/rate-limit";
import { requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import { queryParams } from "../http/validate";
import { listAuditEvents } from "../storage/audit";
import type { AuditEvent } from "../storage/schema";
import type { ActivityPage } from "../contract/me";

export const activityRoutes = new Hono<AppEnv>();
describeRoutes(activityRoutes, { tags: ["Sessions and activity"], auth: "bearer" });

const ActivityQuery = z.object({
  cursor: z.optional(z.string().check(z.regex(/^\d{1,16}\.[0-9a-f-]{36}$/, "The cursor is not valid."))),
  limit: z.optional(z.string().check(z.regex(/^(100|[1-9]\d?)$/, "limit must be 1 to 100."))),
});
const ActivityItem = z.object({
  id: z.string(),
  type: z.string(),
  reason: z.nullable(z.string()),
  at: z.string(),
  sessionId: z.nullable(z.string()),
  ip: z.nullable(z.string()),
  device: z.nullable(z.string()),
  country: z.nullable(z.string()),
  city: z.nullable(z.string()),
  orgId: z.nullable(z.string()),
  actorId: z.nullable(z.string()),
  impersonatorId: z.nullable(z.string()),
});
describeRoute(activityRoutes, {
  query: ActivityQuery,
  summary: "Security events of the signed-in user (sign-ins, failures, changes), newest first. Pass `nextCursor` back as `cursor` for the next page.",
  responses: { 200: { description: "A page of events", schema: z.object({ events: z.array(ActivityItem), nextCursor: z.nullable(z.string()) }) } },
});
activityRoutes.get("/", requireUser(), queryParams(ActivityQuery), async (c) => {
  const { cursor, limit } = c.req.valid("query");
  await enforceRateLimit(c, "me.activity", { account: c.get("userId") });
  const page = await listAuditEvents(c.env, c.get("userId")!, cursor, limit ? Number(limit) : 20);
  c.header("cache-control", "no-store");
  return c.json({ events: page.events.map((e) => activityItem(e, c.get("userId")!)), nextCursor: page.nextCursor } satisfies ActivityPage);
});

/**
 * One event as a user's activity shows it. An event someone else caused (an org admin
 * changing your role, a platform admin) carries THEIR request's IP and device: those are
 * shown only to the actor themself, never to the person it happened to.
 */
export function activityItem(e: AuditEvent, viewerId: string) {
  const theirs = e.actorId !== null && e.actorId !== viewerId;
  return {
    id: e.id,
    type: e.type,
    reason: e.reason,
    at: new Date(e.createdAt).toISOString(),
    sessionId: e.sessionId,
    ip: theirs ? null : e.ip,
    device: theirs || e.userAgent === null ? null : deviceLabel(e.userAgent),
    country: theirs ? null : e.country,
    city: theirs ? null : e.city,
    orgId: e.orgId,
    actorId: e.actorId,
    impersonatorId: e.impersonatorId,
  };
}

export { ActivityQuery };
