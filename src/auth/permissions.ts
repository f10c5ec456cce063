// Every authorization decision about organizations, in one place. Route guards
// (src/http/org-guard.ts), the RPC surface and the token's `org` claim all ask here.
// The rules (README "Roles"):
//  - the owner role holds every permission, including any custom one;
//  - nobody grants a role holding a permission they lack (no escalation through roles,
//    invitations or role edits);
//  - nobody changes or removes a member whose role holds a permission they lack (an
//    admin cannot demote or remove an owner);
//  - a member may always leave, except the last owner (storage enforces "last owner"
//    atomically, see src/storage/memberships.ts).
import { OWNER_ROLE } from "./org-roles";

/** A member as the checks see them: their role key and that role's permissions. */
export type Grant = { role: string; permissions: readonly string[] };

export function can(grant: Grant | null, permission: string): boolean {
  if (!grant) return false;
  return grant.role === OWNER_ROLE || grant.permissions.includes(permission);
}

/** Holds everything `role` holds (so may hand it out or act on someone holding it). */
export function covers(actor: Grant, role: Grant): boolean {
  if (actor.role === OWNER_ROLE) return true;
  if (role.role === OWNER_ROLE) return false;
  return role.permissions.every((p) => actor.permissions.includes(p));
}

/** May `actor` give `target` (currently holding `current`) the role `next`? */
export function mayChangeRole(actor: Grant, current: Grant, next: Grant): boolean {
  return can(actor, "members:manage") && covers(actor, current) && covers(actor, next);
}

/** May `actor` remove the member holding `target`? Leaving (self) is always allowed here. */
export function mayRemoveMember(actor: Grant & { userId: string }, targetUserId: string, target: Grant): boolean {
  if (actor.userId === targetUserId) return true;
  return can(actor, "members:manage") && covers(actor, target);
}

/** May `actor` invite someone with `role`? */
export function mayInvite(actor: Grant, role: Grant): boolean {
  return can(actor, "invitations:manage") && covers(actor, role);
}

/** May `actor` create, change or delete a role that holds (or will hold) `permissions`? */
export function mayDefineRole(actor: Grant, permissions: readonly string[]): boolean {
  return can(actor, "roles:manage") && covers(actor, { role: "", permissions });
}

/** Roles are listed to those who manage them and to those who pick one to grant. */
export function mayListRoles(actor: Grant): boolean {
  return can(actor, "roles:manage") || can(actor, "members:manage") || can(actor, "invitations:manage");
}
