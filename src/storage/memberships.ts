// Memberships in D1: who belongs to which organization with which role. The only place
// that queries the memberships table. Changes that could break "an organization always
// keeps an owner" are single guarded statements, so two racing changes (two owners
// demoting each other, a role change racing a removal) can never both pass the check.
import { and, asc, eq } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { clock } from "../clock";
import type { OrgClaim } from "../model/session";
import { db } from "./db";
import { toRoleRow } from "./orgs";
import { memberships, organizations, orgRoles, users } from "./schema";

export type MemberGrant = { orgId: string; userId: string; role: string; permissions: string[]; joinedAt: number; lastActiveAt: number | null };
export type MyMembership = MemberGrant & { name: string; slug: string; kind: string | null };
export type MemberRow = MemberGrant & { email: string | null; name: string | null };

const grantColumns = {
  orgId: memberships.orgId,
  userId: memberships.userId,
  roleKey: memberships.roleKey,
  roleName: orgRoles.name,
  permissions: orgRoles.permissions,
  joinedAt: memberships.joinedAt,
  lastActiveAt: memberships.lastActiveAt,
};
const roleJoin = and(eq(orgRoles.orgId, memberships.orgId), eq(orgRoles.key, memberships.roleKey));
const toGrant = (r: {
  orgId: string;
  userId: string;
  roleKey: string;
  roleName: string;
  permissions: string;
  joinedAt: number;
  lastActiveAt: number | null;
}): MemberGrant => ({
  orgId: r.orgId,
  userId: r.userId,
  role: r.roleKey,
  permissions: toRoleRow({ key: r.roleKey, name: r.roleName, permissions: r.permissions }).permissions,
  joinedAt: r.joinedAt,
  lastActiveAt: r.lastActiveAt,
});

/** Memberships joined to their role, selecting `extra` columns too. */
const grants = <T extends Record<string, SQLiteColumn>>(env: Env, extra: T) =>
  db(env)
    .select({ ...grantColumns, ...extra })
    .from(memberships)
    .innerJoin(orgRoles, roleJoin);

export async function findMembership(env: Env, orgId: string, userId: string): Promise<MemberGrant | null> {
  const row = await grants(env, {})
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .get();
  return row ? toGrant(row) : null;
}

/** A token's `org` claim (src/auth/session.ts): the membership, its role and the organization's slug in one query. */
export async function findOrgClaim(env: Env, orgId: string, userId: string): Promise<OrgClaim | null> {
  const row = await grants(env, { slug: organizations.slug })
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .get();
  if (!row) return null;
  const { role, permissions } = toGrant(row);
  return { id: row.orgId, slug: row.slug, role, permissions };
}

export async function listMembers(env: Env, orgId: string): Promise<MemberRow[]> {
  const rows = await grants(env, { email: users.email, name: users.name })
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.joinedAt), asc(memberships.userId))
    .all();
  return rows.map((r) => ({ ...toGrant(r), email: r.email, name: r.name }));
}

export async function listMembershipsOfUser(env: Env, userId: string): Promise<MyMembership[]> {
  const rows = await grants(env, { name: organizations.name, slug: organizations.slug, kind: organizations.kind })
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name), asc(organizations.id))
    .all();
  return rows.map((r) => ({ ...toGrant(r), name: r.name, slug: r.slug, kind: r.kind }));
}

export type MemberChange = "ok" | "not_found" | "last_owner" | "conflict";

// Passes unless the member is an owner about to stop being one while no other owner exists.
const KEEPS_AN_OWNER = "(role_key != 'owner' OR (SELECT count(*) FROM memberships WHERE org_id = ?1 AND role_key = 'owner') > 1)";

/**
 * Gives a member another role, only if they still hold `expected` (what the caller's
 * permission check saw) and the organization keeps an owner.
 */
export async function changeMemberRole(env: Env, orgId: string, userId: string, expected: string, next: string): Promise<MemberChange> {
  if (expected === next) return (await findMembership(env, orgId, userId))?.role === next ? "ok" : "conflict";
  let changes: number;
  try {
    const res = await env.DB.prepare(
      `UPDATE memberships SET role_key = ?4 WHERE org_id = ?1 AND user_id = ?2 AND role_key = ?3 AND (?4 = 'owner' OR ${KEEPS_AN_OWNER})`,
    )
      .bind(orgId, userId, expected, next)
      .run();
    changes = res.meta.changes;
  } catch (e) {
    // The role was deleted meanwhile (the composite foreign key refused it).
    if (String((e as Error)?.message ?? e).includes("FOREIGN KEY")) return "conflict";
    throw e;
  }
  return changes === 1 ? "ok" : whyUnchanged(env, orgId, userId, expected);
}

/** Removes a member who still holds `expected`, unless they are the last owner. */
export async function removeMember(env: Env, orgId: string, userId: string, expected: string): Promise<MemberChange> {
  const res = await env.DB.prepare(`DELETE FROM memberships WHERE org_id = ?1 AND user_id = ?2 AND role_key = ?3 AND ${KEEPS_AN_OWNER}`)
    .bind(orgId, userId, expected)
    .run();
  return res.meta.changes === 1 ? "ok" : whyUnchanged(env, orgId, userId, expected);
}

async function whyUnchanged(env: Env, orgId: string, userId: string, expected: string): Promise<MemberChange> {
  const now = await findMembership(env, orgId, userId);
  if (!now) return "not_found";
  return now.role === expected && expected === "owner" ? "last_owner" : "conflict";
}

/** Marks the member active (switching to the organization, refreshing in it); at most once a minute. */
export async function touchMembership(env: Env, orgId: string, userId: string): Promise<void> {
  const now = clock.now();
  await env.DB.prepare(
    "UPDATE memberships SET last_active_at = ?3 WHERE org_id = ?1 AND user_id = ?2 AND (last_active_at IS NULL OR last_active_at < ?3 - 60000)",
  )
    .bind(orgId, userId, now)
    .run();
}

/** Organizations where the user is the only owner, with how many members each has. */
export async function soleOwnerships(env: Env, userId: string): Promise<{ orgId: string; members: number }[]> {
  const { results } = await env.DB.prepare(
    `SELECT m.org_id AS orgId, (SELECT count(*) FROM memberships x WHERE x.org_id = m.org_id) AS members
       FROM memberships m
      WHERE m.user_id = ?1 AND m.role_key = 'owner'
        AND (SELECT count(*) FROM memberships o WHERE o.org_id = m.org_id AND o.role_key = 'owner') = 1`,
  )
    .bind(userId)
    .all<{ orgId: string; members: number }>();
  return results;
}
