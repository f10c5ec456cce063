// What the account lifecycle needs from organizations (issue 14, branch orgs), as hooks
// that branch fills in. Until then there are no organizations: nothing blocks a deletion
// and there are no memberships to export (memberships themselves go with the user row:
// the orgs tables reference users ON DELETE CASCADE, or the orgs branch deletes them here).

export type DeletionBlocker = { kind: "organization"; id: string; name: string };

/**
 * Organizations the user is the LAST owner of: they must transfer or delete them first,
 * or the organization would be left without an owner. Called by DELETE /api/me (409
 * deletion_blocked) and again by the purge job (ownership may change during the grace).
 */
export async function blockersToDeletion(env: Env, userId: string): Promise<DeletionBlocker[]> {
  void env;
  void userId;
  return [];
}

export type MembershipExport = { organizationId: string; organizationName: string; role: string; joinedAt: string };

/** The user's memberships, for GET /api/me/export. */
export async function membershipsOf(env: Env, userId: string): Promise<MembershipExport[]> {
  void env;
  void userId;
  return [];
}
