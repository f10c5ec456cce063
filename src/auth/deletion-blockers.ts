// What stops an account from being deleted. Today nothing; the organizations feature
// (issue 14, branch orgs) fills this in: a user who is the LAST owner of an organization
// must transfer or delete it first, or the organization would be left without an owner.
// Called by DELETE /api/me (409 deletion_blocked) and again by the purge job before it
// removes the account (ownership may have changed during the 14 days of grace).

export type DeletionBlocker = { kind: "organization"; id: string; name: string };

export async function blockersToDeletion(env: Env, userId: string): Promise<DeletionBlocker[]> {
  void env;
  void userId;
  return [];
}
