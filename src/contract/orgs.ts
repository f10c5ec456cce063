// Answers of /api/orgs and /api/invitations (README "Organizations"). Types only
// (src/contract/README.md).
import type { TokenResponse } from "./auth";

/** One organization as the caller sees it: with their role and permissions in it. */
export type Org = {
  id: string;
  name: string;
  slug: string;
  kind: string | null;
  role: string;
  permissions: string[];
};
/** POST, GET and PATCH /api/orgs/:orgId */
export type OrgDetail = Org & { createdAt: string };
/** GET /api/orgs */
export type OrgsResponse = { organizations: (Org & { joinedAt: string })[] };

export type Member = { userId: string; email: string | null; name: string | null; role: string; joinedAt: string; lastActiveAt: string | null };
/** GET /api/orgs/:orgId/members */
export type MembersResponse = { members: Member[] };

export type Role = { key: string; name: string; permissions: string[] };
/** GET /api/orgs/:orgId/roles */
export type RolesResponse = { roles: Role[] };

export type Invitation = { id: string; email: string; role: string; expiresAt: string };
/** GET /api/orgs/:orgId/invitations */
export type InvitationsResponse = { invitations: (Invitation & { createdAt: string; invitedBy: string | null })[] };

export type OrgEvent = {
  id: string;
  type: string;
  reason: string | null;
  at: string;
  userId: string | null;
  actorId: string | null;
  impersonatorId: string | null;
  detail: Record<string, unknown> | null;
};
/** GET /api/orgs/:orgId/activity */
export type OrgActivityPage = { events: OrgEvent[]; nextCursor: string | null };

/** GET /api/invitations/:token (no sign-in needed; the email comes masked). */
export type InvitationInfo = { organization: { name: string }; role: string; roleName: string; email: string; expiresAt: string };
/** POST /api/auth/register with an invitationToken: signed in, and a member. */
export type InvitationRegistered = TokenResponse & { organization: { id: string; name: string; slug: string } };

/** The `org` claim of an access token: the session's active organization. */
export type ActiveOrg = { id: string; slug: string; role: string; permissions: string[] };
/** POST /api/auth/switch-org: a new access token carrying the `org` claim (null: none). */
export type OrgSwitched = Pick<TokenResponse, "accessToken" | "tokenType" | "expiresIn"> & { org: ActiveOrg | null };

/** POST /api/invitations/accept */
export type Membership = { organization: { id: string; name: string; slug: string }; role: string; permissions: string[]; joinedAt: string };
