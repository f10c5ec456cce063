// Members of an organization: list, change a role, remove (or leave). The decisions are
// in src/auth/permissions.ts; "the organization keeps an owner" and "the member still
// holds the role the check saw" are enforced by guarded statements in storage, so a
// role change racing a removal (or two owners demoting each other) stays consistent.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { mayChangeRole, mayRemoveMember } from "../auth/permissions";
import { clearActiveOrg } from "../auth/session";
import { audit } from "../http/audit";
import { describeRoute, describeRoutes } from "../http/openapi";
import { orgAccess, orgRefusals } from "../http/org-guard";
import * as o from "../http/org-schemas";
import { jsonBody } from "../http/validate";
import { ID } from "../model/ids";
import { changeMemberRole, findMembership, listMembers, removeMember, type MemberChange, type MemberGrant } from "../storage/memberships";
import { findRole } from "../storage/orgs";
import type { Member, MembersResponse } from "../contract/orgs";
import { iso } from "../model/time";

export const memberRoutes = new Hono<AppEnv>();
describeRoutes(memberRoutes, { tags: ["Organizations"], auth: "bearer", responses: orgRefusals });

const MemberBody = z.object({
  userId: z.string(),
  email: z.nullable(z.string()),
  name: z.nullable(z.string()),
  role: z.string(),
  joinedAt: z.string(),
  lastActiveAt: z.nullable(z.string()),
});

async function targetMember(orgId: string, userId: string, env: Env): Promise<MemberGrant> {
  const target = ID.user.test(userId) ? await findMembership(env, orgId, userId) : null;
  if (!target) throw new ApiError("not_found", { detail: "No such member." });
  return target;
}

function changeError(result: Exclude<MemberChange, "ok">): ApiError {
  if (result === "last_owner") return new ApiError("last_owner");
  if (result === "not_found") return new ApiError("not_found", { detail: "No such member." });
  return new ApiError("conflict", { detail: "The member's role changed meanwhile. Reload and try again." });
}

// ---------------------------------------------------------------------------
describeRoute(memberRoutes, {
  summary: "Members with their role, when they joined and when they were last active (`members:read`).",
  responses: { 200: { description: "Members", schema: z.object({ members: z.array(MemberBody) }) } },
});
memberRoutes.get("/:orgId/members", orgAccess("members:read"), async (c) => {
  const members = await listMembers(c.env, c.req.param("orgId"));
  c.header("cache-control", "no-store");
  return c.json({
    members: members.map((m) => ({
      userId: m.userId,
      email: m.email,
      name: m.name,
      role: m.role,
      joinedAt: new Date(m.joinedAt).toISOString(),
      lastActiveAt: iso(m.lastActiveAt),
    })),
  } satisfies MembersResponse);
});

// ---------------------------------------------------------------------------
const RoleBody = z.object({ role: o.roleKey });
describeRoute(memberRoutes, {
  body: RoleBody,
  summary:
    "Give a member another role (`members:manage`). Nobody grants a role holding a permission they lack, or changes a member holding one; the last owner stays owner.",
  responses: {
    200: { description: "The member", schema: MemberBody },
    400: "validation_failed (unknown role)",
    409: "last_owner or conflict",
  },
});
memberRoutes.patch("/:orgId/members/:userId", orgAccess("members:manage"), jsonBody(RoleBody), async (c) => {
  const { role } = c.req.valid("json");
  const orgId = c.req.param("orgId");
  const target = await targetMember(orgId, c.req.param("userId"), c.env);
  const next = await findRole(c.env, orgId, role);
  if (!next) throw new ApiError("validation_failed", { errors: [{ path: "role", message: "No such role in this organization." }] });
  if (!mayChangeRole(c.get("membership")!, target, { role: next.key, permissions: next.permissions })) {
    throw new ApiError("forbidden", { detail: "You can only manage members and grant roles whose permissions you hold yourself." });
  }
  const result = await changeMemberRole(c.env, orgId, target.userId, target.role, next.key);
  if (result !== "ok") throw changeError(result);
  if (target.role !== next.key) audit(c, { type: "member.role_changed", userId: target.userId, orgId, detail: { from: target.role, to: next.key } });
  const updated = (await listMembers(c.env, orgId)).find((m) => m.userId === target.userId);
  if (!updated) throw new ApiError("not_found", { detail: "No such member." });
  return c.json({
    userId: updated.userId,
    email: updated.email,
    name: updated.name,
    role: updated.role,
    joinedAt: new Date(updated.joinedAt).toISOString(),
    lastActiveAt: iso(updated.lastActiveAt),
  } satisfies Member);
});

// ---------------------------------------------------------------------------
describeRoute(memberRoutes, {
  summary: "Remove a member (`members:manage`), or leave (your own user id). The last owner cannot leave; their sessions stop having the organization active.",
  responses: { 204: "Removed", 409: "last_owner or conflict" },
});
memberRoutes.delete("/:orgId/members/:userId", orgAccess(), async (c) => {
  const orgId = c.req.param("orgId");
  const actor = c.get("membership")!;
  const target = await targetMember(orgId, c.req.param("userId"), c.env);
  if (!mayRemoveMember(actor, target.userId, target))
    throw new ApiError("forbidden", { detail: "You can only remove members whose permissions you hold yourself." });
  const result = await removeMember(c.env, orgId, target.userId, target.role);
  if (result !== "ok") throw changeError(result);
  c.executionCtx.waitUntil(clearActiveOrg(c.env, target.userId, orgId).catch((e) => console.error("[members] clearing active org", e)));
  const left = target.userId === actor.userId;
  audit(c, { type: left ? "member.left" : "member.removed", userId: target.userId, orgId, detail: { role: target.role } });
  return c.body(null, 204);
});
