// The session's active organization. Switching re-issues the access token with the
// `org` claim ({id, slug, role, permissions}); the refresh token is unchanged, and every
// later refresh re-reads the membership, so the claim follows role changes and removal
// within one access-token lifetime (README "Active organization").
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { reissueAccessToken, setActiveOrg } from "../auth/session";
import { requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import { orgNotFound } from "../http/org-guard";
import { jsonBody } from "../http/validate";
import { ID } from "../model/ids";
import { findMembership } from "../storage/memberships";
import type { OrgSwitched } from "../contract/orgs";

export const switchOrgRoutes = new Hono<AppEnv>();
describeRoutes(switchOrgRoutes, { tags: ["Organizations"], auth: "bearer" });

const SwitchBody = z.object({ orgId: z.nullable(z.string().check(z.maxLength(64, "Not an organization id."))) });
const SwitchResult = z.object({
  accessToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number(),
  org: z.nullable(z.object({ id: z.string(), slug: z.string(), role: z.string(), permissions: z.array(z.string()) })),
});
describeRoute(switchOrgRoutes, {
  body: SwitchBody,
  summary: "Make an organization the session's active one (null: none). Returns a new access token carrying the `org` claim.",
  responses: { 200: { description: "A new access token", schema: SwitchResult }, 404: "not_found (not a member)" },
});
switchOrgRoutes.post("/switch-org", requireUser({ checkSession: true }), jsonBody(SwitchBody), async (c) => {
  const { orgId } = c.req.valid("json");
  const userId = c.get("userId")!;
  if (orgId !== null && !(ID.record.test(orgId) && (await findMembership(c.env, orgId, userId)))) throw orgNotFound();
  const session = await setActiveOrg(c.env, userId, c.get("sessionId")!, orgId);
  if (!session) throw new ApiError("session_ended");
  const access = await reissueAccessToken(c.env, session);
  c.header("cache-control", "no-store");
  return c.json({ accessToken: access.token, tokenType: "Bearer", expiresIn: access.expiresIn, org: access.org } satisfies OrgSwitched);
});
