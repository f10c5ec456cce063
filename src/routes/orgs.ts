// Organizations: create, list mine, read, rename, delete, and the activity feed.
// Who may do what is decided in src/auth/permissions.ts through the org guard
// (src/http/org-guard.ts); handlers read top to bottom: parse, limit, act, audit, respond.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { roleTemplate } from "../auth/org-roles";
import { randomId, randomToken } from "../auth/secrets";
import { clearActiveOrg } from "../auth/session";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireRecentAuth, requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import { orgAccess } from "../http/org-guard";
import * as o from "../http/org-schemas";
import { jsonBody, queryParams } from "../http/validate";
import { listOrgAuditEvents } from "../storage/audit";
import { listMembershipsOfUser, type MemberGrant } from "../storage/memberships";
import { createOrganization, deleteOrganization, findOrganization, isSlugTaken, updateOrganization } from "../storage/orgs";
import type { AuditEvent, Organization } from "../storage/schema";
import { ActivityQuery } from "./activity";
import type { OrgActivityPage, OrgDetail, OrgsResponse } from "../contract/orgs";

export const orgRoutes = new Hono<AppEnv>();
describeRoutes(orgRoutes, { tags: ["Organizations"], auth: "bearer" });

export const OrgBody = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  kind: z.nullable(z.string()),
  createdAt: z.string(),
  role: z.string(),
  permissions: z.array(z.string()),
});

export function orgView(org: Organization, grant: Pick<MemberGrant, "role" | "permissions">) {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    kind: org.kind,
    createdAt: new Date(org.createdAt).toISOString(),
    role: grant.role,
    permissions: grant.permissions,
  };
}

// ---------------------------------------------------------------------------
const CreateBody = z.object({ name: o.orgName, slug: z.optional(o.slug), kind: z.optional(o.kind) });
describeRoute(orgRoutes, {
  body: CreateBody,
  summary: "Create an organization; the caller becomes its owner. Its roles come from ORG_ROLE_TEMPLATE. Without `slug`, one is made from the name.",
  responses: {
    201: { description: "The organization, with the caller's role", schema: OrgBody },
    409: "slug_taken",
    429: "rate_limited",
    503: "configuration_error (ORG_ROLE_TEMPLATE)",
  },
});
orgRoutes.post("/", requireUser({ checkSession: true }), jsonBody(CreateBody), async (c) => {
  const { name, slug, kind } = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "org.create", { account: userId });
  const template = roleTemplate(c.env);
  if (!template.ok) throw new ApiError("configuration_error", { cause: template.error });

  const create = (s: string) => createOrganization(c.env, { id: randomId(), name, slug: s, kind: kind || null, ownerId: userId, roles: template.roles });
  let org: Organization | null;
  if (slug) org = await create(slug);
  else {
    // A derived slug never fails: a taken one (even by a concurrent create) gets a random suffix.
    const base = o.slugify(name);
    org =
      ((await isSlugTaken(c.env, base)) ? null : await create(base)) ??
      (await create(
        `${base}-${randomToken(4)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, "0")}`,
      ));
  }
  if (!org) throw new ApiError("slug_taken");
  audit(c, { type: "org.created", userId, orgId: org.id, detail: { slug: org.slug } });
  const owner = template.roles.find((r) => r.key === "owner")!;
  return c.json(orgView(org, { role: owner.key, permissions: owner.permissions }) satisfies OrgDetail, 201);
});

// ---------------------------------------------------------------------------
describeRoute(orgRoutes, {
  summary: "The caller's organizations, with their role and permissions in each.",
  responses: { 200: { description: "Organizations", schema: z.object({ organizations: z.array(OrgBody) }) } },
});
orgRoutes.get("/", requireUser({ checkSession: true }), async (c) => {
  const mine = await listMembershipsOfUser(c.env, c.get("userId")!);
  c.header("cache-control", "no-store");
  return c.json({
    organizations: mine.map((m) => ({
      id: m.orgId,
      name: m.name,
      slug: m.slug,
      kind: m.kind,
      role: m.role,
      permissions: m.permissions,
      joinedAt: new Date(m.joinedAt).toISOString(),
    })),
  } satisfies OrgsResponse);
});

// ---------------------------------------------------------------------------
describeRoute(orgRoutes, {
  summary: "One organization (members only; 404 for anyone else, as for an unknown id).",
  responses: { 200: { description: "The organization", schema: OrgBody }, 404: "not_found" },
});
orgRoutes.get("/:orgId", orgAccess(), async (c) => {
  const org = await findOrganization(c.env, c.req.param("orgId"));
  if (!org) throw new ApiError("not_found");
  c.header("cache-control", "no-store");
  return c.json(orgView(org, c.get("membership")!) satisfies OrgDetail);
});

// ---------------------------------------------------------------------------
const PatchBody = z
  .object({ name: z.optional(o.orgName), slug: z.optional(o.slug), kind: z.optional(z.nullable(o.kind)) })
  .check(z.refine((b) => b.name !== undefined || b.slug !== undefined || b.kind !== undefined, "Send name, slug or kind."));
describeRoute(orgRoutes, {
  body: PatchBody,
  summary: "Rename the organization, change its slug or kind (`org:update`).",
  responses: { 200: { description: "The organization", schema: OrgBody }, 403: "forbidden", 404: "not_found", 409: "slug_taken" },
});
orgRoutes.patch("/:orgId", orgAccess("org:update"), jsonBody(PatchBody), async (c) => {
  const { name, slug, kind } = c.req.valid("json");
  const orgId = c.req.param("orgId");
  const updated = await updateOrganization(c.env, orgId, {
    ...(name ? { name } : {}),
    ...(slug ? { slug } : {}),
    ...(kind !== undefined ? { kind: kind || null } : {}),
  });
  if (updated === "taken") throw new ApiError("slug_taken");
  if (!updated) throw new ApiError("not_found");
  audit(c, { type: "org.updated", userId: c.get("userId"), orgId, detail: { name: name !== undefined, slug: slug ?? null, kind: kind !== undefined } });
  return c.json(orgView(updated, c.get("membership")!) satisfies OrgDetail);
});

// ---------------------------------------------------------------------------
describeRoute(orgRoutes, {
  summary: "Delete the organization (`org:delete`): its roles, members and invitations go with it, and no session keeps it active.",
  responses: { 204: "Deleted", 403: "forbidden", 404: "not_found" },
});
// Irreversible: a recent sign-in too (a stolen long-lived session cannot wipe an organization).
orgRoutes.delete("/:orgId", orgAccess("org:delete"), requireRecentAuth(), async (c) => {
  const orgId = c.req.param("orgId");
  const members = await deleteOrganization(c.env, orgId);
  if (!members) throw new ApiError("not_found");
  // The tokens' `org` claim is re-read at each refresh anyway; this also tidies the records.
  c.executionCtx.waitUntil(Promise.all(members.map((u) => clearActiveOrg(c.env, u, orgId))).catch((e) => console.error("[orgs] clearing active org", e)));
  audit(c, { type: "org.deleted", userId: c.get("userId"), orgId, detail: { members: members.length } });
  return c.body(null, 204);
});

// ---------------------------------------------------------------------------
const OrgEvent = z.object({
  id: z.string(),
  type: z.string(),
  reason: z.nullable(z.string()),
  at: z.string(),
  userId: z.nullable(z.string()),
  actorId: z.nullable(z.string()),
  impersonatorId: z.nullable(z.string()),
  detail: z.nullable(z.record(z.string(), z.unknown())),
});
describeRoute(orgRoutes, {
  query: ActivityQuery,
  summary:
    "What happened in the organization (members, roles, invitations, settings), newest first, with who did it (`members:read`). No IPs or devices of other members.",
  responses: { 200: { description: "A page of events", schema: z.object({ events: z.array(OrgEvent), nextCursor: z.nullable(z.string()) }) } },
});
orgRoutes.get("/:orgId/activity", orgAccess("members:read"), queryParams(ActivityQuery), async (c) => {
  const { cursor, limit } = c.req.valid("query");
  const page = await listOrgAuditEvents(c.env, c.req.param("orgId"), cursor, limit ? Number(limit) : 20);
  c.header("cache-control", "no-store");
  return c.json({ events: page.events.map(orgEvent), nextCursor: page.nextCursor } satisfies OrgActivityPage);
});

function orgEvent(e: AuditEvent) {
  return {
    id: e.id,
    type: e.type,
    reason: e.reason,
    at: new Date(e.createdAt).toISOString(),
    userId: e.userId,
    actorId: e.actorId,
    impersonatorId: e.impersonatorId,
    detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null,
  };
}
