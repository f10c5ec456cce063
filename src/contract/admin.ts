// Answers of /api/admin (README "Admin"): platform admins only. Types only
// (src/contract/README.md).
import type { PublicUser, TokenResponse } from "./auth";
import type { ActivityItem } from "./me";

export type AdminUser = PublicUser & { disabled: boolean; disabledAt: string | null; isPlatformAdmin: boolean };
/** GET /api/admin/users */
export type AdminUsersPage = { users: AdminUser[]; nextCursor: string | null };

/** GET /api/admin/users/:id */
export type AdminUserDetail = {
  user: AdminUser;
  identities: { id: string; provider: string; subject: string | null; email: string | null; createdAt: string; lastUsedAt: string | null }[];
  sessions: {
    id: string;
    method: string;
    device: string;
    ip: string;
    country: string | null;
    createdAt: string;
    lastUsedAt: string;
    impersonatedBy: string | null;
  }[];
  memberships: { orgId: string; name: string; slug: string; role: string; joinedAt: string }[];
  activity: ActivityItem[];
};

/** POST /api/admin/users/:id/disable */
export type AdminUserDisabled = { user: AdminUser; endedSessions: number };
/** POST /api/admin/users/:id/enable, /verify-email */
export type AdminUserChanged = { user: AdminUser };
/** POST /api/admin/users/:id/sign-out */
export type AdminSignedOut = { endedSessions: number };
/** POST /api/admin/users/:id/reset-second-factors: what was removed. */
export type SecondFactorsReset = { totp: boolean; passkeys: number };
/** POST /api/admin/users/:id/impersonate: a session as the user, ended by a refresh. */
export type Impersonation = TokenResponse & { refreshToken: string; expiresAt: string; user: PublicUser; impersonator: { id: string } };
