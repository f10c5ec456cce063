// Custom roles of an organization. Roles are data (README "Roles"): the owner role is
// fixed (it holds everything); other roles can be created, renamed, given permissions
// and deleted by `roles:manage` holders, never beyond the permissions they hold themselves.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { MAX_ROLES, normalizePermissions, OWNER_ROLE, ROLE_KEY } from "../auth/org-roles";
import { mayDefineRole, mayListRoles } from "../auth/permissions";
import { audit } from "../http/audit";
import { describeRoute, describeRoutes } from "../http/openapi";
import { orgAccess, orgRefusals } from "../http/org-guard";
import * as o from "../http/org-schemas";
import { jsonBody } from "../http/validate";
import { countRoles, createRole, deleteRole, findRole, listRoles, updateRole, type RoleRow } from "../storage/orgs";
import type { Role, RolesResponse } from "../contract/orgs";

export const roleRoutes = new Hono<AppEnv>();
describeRoutes(roleRoutes, { tags: ["Organizations"], auth: "bearer", responses: orgRefusals });
const RoleView = z.object({ key: z.string(), name: z.string(), permissions: z.array(z.string()) });

const cannotDefine = () => new ApiError("forbidden", { detail: "You can only define roles whose permissions you hold yourself." });

async function existingRole(env: Env, orgId: string, key: string): Promise<RoleRow> {
  const role = ROLE_KEY.test(key) ? await findRole(env, orgId, key) : null;
  if (!role) throw new ApiError("not_found", { detail: "No such role." });
  return role;
}

// ---------------------------------------------------------------------------
describeRoute(roleRoutes, {
  summary: "The organization's roles (`roles:manage`; also `members:manage` and `invitations:manage`, who pick roles to grant).",
  responses: { 200: { description: "Roles", schema: z.object({ roles: z.array(RoleView) }) } },
});
roleRoutes.get("/:orgId/roles", orgAccess(), async (c) => {
  if (!mayListRoles(c.get("membership")!)) throw new ApiError("forbidden");
  c.header("cache-control", "no-store");
  return c.json({ roles: await listRoles(c.env, c.req.param("orgId")) } satisfies RolesResponse);
});

// ---------------------------------------------------------------------------
const CreateBody = z.object({ key: o.roleKey, name: o.roleName, permissions: o.permissions });
describeRoute(roleRoutes, {
  body: CreateBody,
  summary: "Create a role (`roles:manage`), with any permission strings your application defines.",
  responses: { 201: { description: "The role", schema: RoleView }, 409: "role_exists or conflict (too many roles)" },
});
roleRoutes.post("/:orgId/roles", orgAccess("roles:manage"), jsonBody(CreateBody), async (c) => {
  const { key, name, permissions } = c.req.valid("json");
  const orgId = c.req.param("orgId");
  const role = { key, name, permissions: normalizePermissions(key, permissions) };
  if (!mayDefineRole(c.get("membership")!, role.permissions)) throw cannotDefine();
  if ((await countRoles(c.env, orgId)) >= MAX_ROLES) throw new ApiError("conflict", { detail: `An organization has at most ${MAX_ROLES} roles.` });
  if (!(await createRole(c.env, orgId, role))) throw new ApiError("role_exists");
  audit(c, { type: "role.created", userId: c.get("userId"), orgId, detail: { role: key, permissions: role.permissions.join(" ") } });
  return c.json(role satisfies Role, 201);
});

// ---------------------------------------------------------------------------
const PatchBody = z
  .object({ name: z.optional(o.roleName), permissions: z.optional(o.permissions) })
  .check(z.refine((b) => b.name !== undefined || b.permissions !== undefined, "Send name or permissions."));
describeRoute(roleRoutes, {
  body: PatchBody,
  summary:
    "Rename a role or change its permissions (`roles:manage`). The owner role cannot be changed. Members holding it get the new permissions in their next access token.",
  responses: { 200: { description: "The role", schema: RoleView }, 409: "conflict (changed meanwhile)" },
});
roleRoutes.patch("/:orgId/roles/:key", orgAccess("roles:manage"), jsonBody(PatchBody), async (c) => {
  const { name, permissions } = c.req.valid("json");
  const orgId = c.req.param("orgId");
  const current = await existingRole(c.env, orgId, c.req.param("key"));
  if (current.key === OWNER_ROLE) throw new ApiError("forbidden", { detail: "The owner role always holds every permission; it cannot be changed." });
  const next = permissions ? normalizePermissions(current.key, permissions) : current.permissions;
  const actor = c.get("membership")!;
  if (!mayDefineRole(actor, current.permissions) || !mayDefineRole(actor, next)) throw cannotDefine();
  const updated = await updateRole(c.env, orgId, current.key, current.permissions, { name, permissions: permissions ? next : undefined });
  if (!updated) throw new ApiError("conflict", { detail: "The role changed meanwhile. Reload and try again." });
  audit(c, { type: "role.updated", userId: c.get("userId"), orgId, detail: { role: current.key, permissions: updated.permissions.join(" ") } });
  return c.json(updated satisfies Role);
});

// ---------------------------------------------------------------------------
describeRoute(roleRoutes, {
  summary: "Delete a role nobody holds (`roles:manage`); its pending invitations are revoked. The owner role cannot be deleted.",
  responses: { 204: "Deleted", 409: "role_in_use" },
});
roleRoutes.delete("/:orgId/roles/:key", orgAccess("roles:manage"), async (c) => {
  const orgId = c.req.param("orgId");
  const current = await existingRole(c.env, orgId, c.req.param("key"));
  if (current.key === OWNER_ROLE) throw new ApiError("forbidden", { detail: "The owner role cannot be deleted." });
  if (!mayDefineRole(c.get("membership")!, current.permissions)) throw cannotDefine();
  const result = await deleteRole(c.env, orgId, current.key);
  if (result === "in_use") throw new ApiError("role_in_use");
  if (result === "not_found") throw new ApiError("not_found", { detail: "No such role." });
  audit(c, { type: "role.deleted", userId: c.get("userId"), orgId, detail: { role: current.key } });
  return c.body(null, 204);
});
