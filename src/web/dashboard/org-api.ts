// The organization and admin API as the dashboard pages use it (README "Organizations",
// "Admin"). One function per route; the pages never build a URL themselves.
import type { AdminUserDetail, AdminUsersPage, Impersonation, SecondFactorsReset } from "../../contract/admin";
import type {
  ActiveOrg,
  Invitation,
  InvitationInfo,
  InvitationRegistered,
  InvitationsResponse,
  Member,
  MembersResponse,
  Membership,
  Org,
  OrgActivityPage,
  OrgDetail,
  OrgsResponse,
  OrgSwitched,
  Role,
  RolesResponse,
} from "../../contract/orgs";
import { api } from "../api";
import { accessToken, acceptTokens } from "../session";

export type { Invitation, InvitationInfo, Member, Org, Role };
export type { AdminUser, AdminUserDetail } from "../../contract/admin";
export type { OrgEvent } from "../../contract/orgs";

const org = (id: string, rest = "") => `/api/orgs/${encodeURIComponent(id)}${rest}`;
const auth = { auth: true } as const;

export const listOrgs = () => api<OrgsResponse>("/api/orgs", auth);
export const createOrg = (name: string, kind: string) =>
  api<OrgDetail>("/api/orgs", { ...auth, json: { name, ...(kind.trim() ? { kind: kind.trim() } : {}) } });
export const getOrg = (id: string) => api<OrgDetail>(org(id), auth);
export const updateOrg = (id: string, change: { name?: string; slug?: string; kind?: string | null }) =>
  api<OrgDetail>(org(id), { ...auth, method: "PATCH", json: change });
export const deleteOrg = (id: string) => api(org(id), { ...auth, method: "DELETE" });
export const listMembers = (id: string) => api<MembersResponse>(org(id, "/members"), auth);
export const changeRole = (id: string, userId: string, role: string) =>
  api<Member>(org(id, `/members/${encodeURIComponent(userId)}`), { ...auth, method: "PATCH", json: { role } });
export const removeMember = (id: string, userId: string) => api(org(id, `/members/${encodeURIComponent(userId)}`), { ...auth, method: "DELETE" });
export const listRoles = (id: string) => api<RolesResponse>(org(id, "/roles"), auth);
export const createRole = (id: string, role: Role) => api<Role>(org(id, "/roles"), { ...auth, json: role });
export const updateRole = (id: string, key: string, change: { name?: string; permissions?: string[] }) =>
  api<Role>(org(id, `/roles/${encodeURIComponent(key)}`), { ...auth, method: "PATCH", json: change });
export const deleteRole = (id: string, key: string) => api(org(id, `/roles/${encodeURIComponent(key)}`), { ...auth, method: "DELETE" });
export const listInvitations = (id: string) => api<InvitationsResponse>(org(id, "/invitations"), auth);
export const sendInvitation = (id: string, email: string, role: string, locale: string) =>
  api<Invitation>(org(id, "/invitations"), { ...auth, json: { email, role, locale } });
export const resendInvitation = (id: string, invitationId: string) =>
  api<Invitation>(org(id, `/invitations/${encodeURIComponent(invitationId)}/resend`), { ...auth, method: "POST" });
export const revokeInvitation = (id: string, invitationId: string) =>
  api(org(id, `/invitations/${encodeURIComponent(invitationId)}`), { ...auth, method: "DELETE" });
export const orgActivity = (id: string) => api<OrgActivityPage>(org(id, "/activity"), auth);

export const lookupInvitation = (token: string) => api<InvitationInfo>(`/api/invitations/${encodeURIComponent(token)}`);
export const acceptInvitation = (token: string) => api<Membership>("/api/invitations/accept", { ...auth, json: { token } });
export const registerWithInvitation = (v: { email: string; password: string; name: string; token: string }) =>
  api<InvitationRegistered>("/api/auth/register", {
    json: { email: v.email, password: v.password, invitationToken: v.token, ...(v.name.trim() ? { name: v.name.trim() } : {}) },
  });

/** Makes `orgId` (or none) the session's active organization and takes the new access token. */
export async function switchOrg(orgId: string | null) {
  const r = await api<OrgSwitched>("/api/auth/switch-org", { ...auth, json: { orgId } });
  if (r.ok) await acceptTokens(r.data);
  return r;
}

/** The active organization's id, read from the access token's `org` claim (never trusted for access: the server decides). */
export function activeOrgId(): string | null {
  const token = accessToken();
  if (!token) return null;
  try {
    const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { org?: ActiveOrg };
    return payload.org?.id ?? null;
  } catch {
    return null;
  }
}

// --- admin ---------------------------------------------------------------------------
const adminUser = (id: string, rest = "") => `/api/admin/users/${encodeURIComponent(id)}${rest}`;
export const searchUsers = (query: string, cursor?: string) =>
  api<AdminUsersPage>(`/api/admin/users?${new URLSearchParams({ ...(query ? { query } : {}), ...(cursor ? { cursor } : {}) })}`, auth);
export const userDetail = (id: string) => api<AdminUserDetail>(adminUser(id), auth);
export const adminAction = (id: string, action: "disable" | "enable" | "sign-out" | "verify-email") =>
  api(adminUser(id, `/${action}`), { ...auth, method: "POST" });
/** Needs a recent sign-in of the admin: call it through withReauth. */
export const resetSecondFactors = (id: string) => api<SecondFactorsReset>(adminUser(id, "/reset-second-factors"), { ...auth, method: "POST" });
export const adminDelete = (id: string) => api(adminUser(id), { ...auth, method: "DELETE" });
export const impersonate = (id: string) => api<Impersonation>(adminUser(id, "/impersonate"), { ...auth, method: "POST" });
