// What the account lifecycle (profile: DELETE /api/me, the purge job, GET /api/me/export)
// needs from organizations. Memberships themselves go with the user row (the orgs tables
// reference users ON DELETE CASCADE).
import { listMembershipsOfUser, soleOwnerships } from "../storage/memberships";
import { findOrganization } from "../storage/orgs";

export type DeletionBlocker = { kind: "organization"; id: string; name: string };

/**
 * Organizations the user is the LAST owner of: they must transfer or delete them first,
 * or the organization would be left without an owner (also one they alone belong to: it
 * would be left with nobody). Called by DELETE /api/me (409 deletion_blocked) and again
 * by the purge job (ownership may change during the grace).
 */
export async function blockersToDeletion(env: Env, userId: string): Promise<DeletionBlocker[]> {
  const sole = await soleOwnerships(env, userId);
  const orgs = await Promise.all(sole.map((o) => findOrganization(env, o.orgId)));
  return orgs.flatMap((org) => (org ? [{ kind: "organization" as const, id: org.id, name: org.name }] : []));
}

export type MembershipExport = { organizationId: string; organizationName: string; role: string; joinedAt: string };

/** The user's memberships, for GET /api/me/export. */
export async function membershipsOf(env: Env, userId: string): Promise<MembershipExport[]> {
  const memberships = await listMembershipsOfUser(env, userId);
  return memberships.map((m) => ({ organizationId: m.orgId, organizationName: m.name, role: m.role, joinedAt: new Date(m.joinedAt).toISOString() }));
}
