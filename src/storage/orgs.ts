// Organizations and their roles in D1. The only place that queries these tables
// (memberships: ./memberships.ts; invitations: ./invitations.ts).
import { and, asc, eq, sql } from "drizzle-orm";
import { clock } from "../clock";
import { db } from "./db";
import { memberships, organizations, orgRoles, type Organization, type OrgRole } from "./schema";

export type RoleRow = { key: string; name: string; permissions: string[] };

const parsePermissions = (json: string): string[] => {
  const v = JSON.parse(json) as unknown;
  return Array.isArray(v) ? v.filter((p): p is string => typeof p === "string") : [];
};
export const toRoleRow = (r: Pick<OrgRole, "key" | "name" | "permissions">): RoleRow => ({
  key: r.key,
  name: r.name,
  permissions: parsePermissions(r.permissions),
});

// drizzle wraps D1's error (DrizzleQueryError), so look at the cause too.
const isUniqueViolation = (e: unknown) => {
  const err = e as Error & { cause?: Error };
  return `${err?.message ?? e} ${err?.cause?.message ?? ""}`.includes("UNIQUE");
};

/**
 * Creates the organization, its roles and the creator's owner membership in one batch.
 * Returns null when the slug is taken (also by a concurrent request: the unique index decides).
 */
export async function createOrganization(
  env: Env,
  input: { id: string; name: string; slug: string; kind: string | null; ownerId: string; roles: RoleRow[] },
): Promise<Organization | null> {
  const now = clock.now();
  const org: Organization = { id: input.id, name: input.name, slug: input.slug, kind: input.kind, createdBy: input.ownerId, createdAt: now, updatedAt: now };
  const d = db(env);
  try {
    await d.batch([
      d.insert(organizations).values(org),
      // createdAt + index: roles list in template order (the listing sorts by creation).
      d.insert(orgRoles).values(
        input.roles.map((r, i) => ({
          orgId: org.id,
          key: r.key,
          name: r.name,
          permissions: JSON.stringify(r.permissions),
          createdAt: now + i,
          updatedAt: now,
        })),
      ),
      d.insert(memberships).values({ orgId: org.id, userId: input.ownerId, roleKey: "owner", joinedAt: now, lastActiveAt: now }),
    ]);
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
  return org;
}

export async function findOrganization(env: Env, id: string): Promise<Organization | null> {
  return (await db(env).select().from(organizations).where(eq(organizations.id, id)).get()) ?? null;
}

export async function isSlugTaken(env: Env, slug: string): Promise<boolean> {
  return (await db(env).select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug)).get()) !== undefined;
}

/** "taken" when the new slug belongs to another organization. */
export async function updateOrganization(
  env: Env,
  id: string,
  change: { name?: string; slug?: string; kind?: string | null },
): Promise<Organization | "taken" | null> {
  try {
    const row = await db(env)
      .update(organizations)
      .set({ ...change, updatedAt: clock.now() })
      .where(eq(organizations.id, id))
      .returning()
      .get();
    return row ?? null;
  } catch (e) {
    if (isUniqueViolation(e)) return "taken";
    throw e;
  }
}

/** Deletes the organization (roles, memberships and invitations cascade); returns who were members. */
export async function deleteOrganization(env: Env, id: string): Promise<string[] | null> {
  const d = db(env);
  const [members, deleted] = await d.batch([
    d.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.orgId, id)),
    d.delete(organizations).where(eq(organizations.id, id)).returning({ id: organizations.id }),
  ]);
  return deleted.length ? members.map((m) => m.userId) : null;
}

export async function listRoles(env: Env, orgId: string): Promise<RoleRow[]> {
  const rows = await db(env).select().from(orgRoles).where(eq(orgRoles.orgId, orgId)).orderBy(asc(orgRoles.createdAt), asc(orgRoles.key)).all();
  return rows.map(toRoleRow);
}

export async function findRole(env: Env, orgId: string, key: string): Promise<RoleRow | null> {
  const row = await db(env)
    .select()
    .from(orgRoles)
    .where(and(eq(orgRoles.orgId, orgId), eq(orgRoles.key, key)))
    .get();
  return row ? toRoleRow(row) : null;
}

export async function countRoles(env: Env, orgId: string): Promise<number> {
  const row = await db(env).select({ n: sql<number>`count(*)` }).from(orgRoles).where(eq(orgRoles.orgId, orgId)).get();
  return row?.n ?? 0;
}

/** Null when the key exists already in this organization. */
export async function createRole(env: Env, orgId: string, role: RoleRow): Promise<RoleRow | null> {
  const now = clock.now();
  try {
    await db(env)
      .insert(orgRoles)
      .values({ orgId, key: role.key, name: role.name, permissions: JSON.stringify(role.permissions), createdAt: now, updatedAt: now });
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
  return role;
}

/**
 * Changes a role only if it still holds `expected` permissions (compare-and-set): a
 * concurrent edit makes this one fail rather than silently widen what was checked.
 */
export async function updateRole(
  env: Env,
  orgId: string,
  key: string,
  expected: string[],
  change: { name?: string; permissions?: string[] },
): Promise<RoleRow | null> {
  const row = await db(env)
    .update(orgRoles)
    .set({
      ...(change.name ? { name: change.name } : {}),
      ...(change.permissions ? { permissions: JSON.stringify(change.permissions) } : {}),
      updatedAt: clock.now(),
    })
    .where(and(eq(orgRoles.orgId, orgId), eq(orgRoles.key, key), eq(orgRoles.permissions, JSON.stringify(expected))))
    .returning()
    .get();
  return row ? toRoleRow(row) : null;
}

/**
 * Deletes a role nobody holds, in one guarded statement (a member given the role
 * meanwhile makes it fail), and revokes the pending invitations to it in the same batch.
 */
export async function deleteRole(env: Env, orgId: string, key: string): Promise<"deleted" | "in_use" | "not_found"> {
  const now = clock.now();
  const [del] = await env.DB.batch([
    env.DB.prepare(
      "DELETE FROM org_roles WHERE org_id = ?1 AND key = ?2 AND key != 'owner' AND NOT EXISTS (SELECT 1 FROM memberships WHERE org_id = ?1 AND role_key = ?2)",
    ).bind(orgId, key),
    env.DB.prepare(
      "UPDATE invitations SET revoked_at = ?3 WHERE org_id = ?1 AND role_key = ?2 AND accepted_at IS NULL AND revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM org_roles WHERE org_id = ?1 AND key = ?2)",
    ).bind(orgId, key, now),
  ]);
  if (del!.meta.changes === 1) return "deleted";
  return (await findRole(env, orgId, key)) ? "in_use" : "not_found";
}
