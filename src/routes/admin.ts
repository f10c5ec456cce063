// The platform admin API (README "Admin"): find users, look at one, disable/enable,
// sign out everywhere, mark the email verified, reset second factors, delete, impersonate. Admins are granted
// by `npm run admin:grant` only. Deleting and impersonating also need a recent sign-in
// (requireRecentAuth). Every action is audited on the user's record with the
// admin as actor, so the user sees it in their own activity.
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { clock } from "../clock";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { deviceInfo } from "../auth/device";
import { disableAccount, enableAccount } from "../auth/account-status";
import { IMPERSONATION_LIFETIME_MS } from "../auth/impersonation";
import { resetSecondFactors } from "../auth/second-factor";
import { endAllSessions, sessionFence, startSession } from "../auth/session";
import { requirePlatformAdmin } from "../http/admin-guard";
import { audit } from "../http/audit";
import { requireRecentAuth } from "../http/guards";
import { recipientLocale } from "../http/locale";
import { describeRoute, describeRoutes } from "../http/openapi";
import { publicUser } from "../http/respond";
import { queryParams } from "../http/validate";
import { ID } from "../model/ids";
import { deleteUserAndSoloOrgs, searchUsers } from "../storage/admin-users";
import { listAuditEvents } from "../storage/audit";
import { listIdentities } from "../storage/identities";
import { listMembershipsOfUser, soleOwnerships } from "../storage/memberships";
import type { User } from "../storage/schema";
import { findUserById, markEmailVerified } from "../storage/users";
import { activityItem } from "./activity";
import type {
  AdminSignedOut,
  AdminUserChanged,
  AdminUserDetail,
  AdminUserDisabled,
  AdminUsersPage,
  Impersonation,
  SecondFactorsReset,
} from "../contract/admin";
import { iso } from "../model/time";

export const adminRoutes = new Hono<AppEnv>();
describeRoutes(adminRoutes, { tags: ["Admin"], auth: "bearer" });
adminRoutes.use("*", requirePlatformAdmin());

const adminView = (u: User) => ({ ...publicUser(u), disabled: u.disabledAt !== null, disabledAt: iso(u.disabledAt), isPlatformAdmin: u.isPlatformAdmin });
const AdminUser = z.object({
  id: z.string(),
  email: z.nullable(z.string()),
  emailVerified: z.boolean(),
  name: z.nullable(z.string()),
  createdAt: z.string(),
  disabled: z.boolean(),
  disabledAt: z.nullable(z.string()),
  isPlatformAdmin: z.boolean(),
});

async function targetUser(c: Context<AppEnv>): Promise<User> {
  const id = c.req.param("id") ?? "";
  const user = ID.user.test(id) ? await findUserById(c.env, id) : null;
  if (!user) throw new ApiError("not_found", { detail: "No such user." });
  return user;
}

/** Admins do not lock themselves out: disabling or deleting yourself goes through another admin. */
function notSelf(c: Context<AppEnv>, user: User): void {
  if (user.id === c.get("userId")) throw new ApiError("conflict", { detail: "Ask another platform admin to do this to your own account." });
}

// ---------------------------------------------------------------------------
const SearchQuery = z.object({
  query: z.optional(z.string().check(z.maxLength(254, "The query is too long."), z.regex(/^[^\p{Cc}]*$/u, "The query contains control characters."))),
  cursor: z.optional(z.string().check(z.regex(/^\d{1,16}\.[A-Za-z0-9_-]{1,64}$/, "The cursor is not valid."))),
});
describeRoute(adminRoutes, {
  query: SearchQuery,
  summary: "Platform admins: find users by id, email (prefix), name (substring) or phone (prefix), newest first, 20 a page.",
  responses: {
    200: { description: "A page of users", schema: z.object({ users: z.array(AdminUser), nextCursor: z.nullable(z.string()) }) },
    404: "not_found (not a platform admin)",
  },
});
adminRoutes.get("/users", queryParams(SearchQuery), async (c) => {
  const { query, cursor } = c.req.valid("query");
  const page = await searchUsers(c.env, query ?? "", cursor);
  c.header("cache-control", "no-store");
  return c.json({ users: page.users.map(adminView), nextCursor: page.nextCursor } satisfies AdminUsersPage);
});

describeRoute(adminRoutes, {
  summary: "Platform admins: remove the user's authenticator app, recovery codes and passkeys (a locked-out user); the owner is told by email.",
  responses: { 200: "What was removed", 404: "not_found" },
});
adminRoutes.post("/users/:id/reset-second-factors", requireRecentAuth(), async (c) => {
  const user = await targetUser(c);
  const removed = await resetSecondFactors(c.env, user.id, recipientLocale(c, user));
  audit(c, { type: "mfa.reset", userId: user.id, detail: removed });
  return c.json(removed satisfies SecondFactorsReset);
});

// ---------------------------------------------------------------------------
describeRoute(adminRoutes, {
  summary: "Platform admins: a user's profile, sign-in methods, live sessions, memberships and recent activity.",
  responses: { 200: "The user in detail", 404: "not_found" },
});
adminRoutes.get("/users/:id", async (c) => {
  const user = await targetUser(c);
  const [identities, sessions, memberships, activity] = await Promise.all([
    listIdentities(c.env, user.id),
    sessionFence(c.env, user.id).list(clock.now()),
    listMembershipsOfUser(c.env, user.id),
    listAuditEvents(c.env, user.id, undefined, 20),
  ]);
  c.header("cache-control", "no-store");
  return c.json({
    user: adminView(user),
    identities: identities.map((i) => ({
      id: i.id,
      provider: i.provider,
      subject: i.provider === "phone" ? i.subject : null,
      email: i.email,
      createdAt: iso(i.createdAt),
      lastUsedAt: iso(i.lastUsedAt),
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      method: s.method,
      device: s.device,
      ip: s.ip,
      country: s.country ?? null,
      createdAt: iso(s.createdAt),
      lastUsedAt: iso(s.lastUsedAt),
      impersonatedBy: s.actor?.sub ?? null,
    })),
    memberships: memberships.map((m) => ({ orgId: m.orgId, name: m.name, slug: m.slug, role: m.role, joinedAt: iso(m.joinedAt) })),
    activity: activity.events.map((e) => activityItem(e, user.id)),
  } satisfies AdminUserDetail);
});

// ---------------------------------------------------------------------------
describeRoute(adminRoutes, {
  summary: "Platform admins: disable the account and end every session at once.",
  responses: { 200: "Disabled", 404: "not_found", 409: "conflict (yourself)" },
});
adminRoutes.post("/users/:id/disable", async (c) => {
  const user = await targetUser(c);
  notSelf(c, user);
  const result = await disableAccount(c.env, user.id);
  if (!result) throw new ApiError("not_found", { detail: "No such user." });
  audit(c, { type: "admin.user_disabled", userId: user.id, detail: { endedSessions: result.endedSessions } });
  return c.json({ user: adminView({ ...user, disabledAt: user.disabledAt ?? clock.now() }), endedSessions: result.endedSessions } satisfies AdminUserDisabled);
});

describeRoute(adminRoutes, {
  summary: "Platform admins: enable a disabled account (it signs in again normally).",
  responses: { 200: "Enabled", 404: "not_found" },
});
adminRoutes.post("/users/:id/enable", async (c) => {
  const user = await targetUser(c);
  await enableAccount(c.env, user.id);
  audit(c, { type: "admin.user_enabled", userId: user.id });
  return c.json({ user: adminView({ ...user, disabledAt: null }) } satisfies AdminUserChanged);
});

describeRoute(adminRoutes, {
  summary: "Platform admins: end every session of the user.",
  responses: { 200: "How many sessions ended", 404: "not_found" },
});
adminRoutes.post("/users/:id/sign-out", async (c) => {
  const user = await targetUser(c);
  const ended = await endAllSessions(c.env, user.id);
  audit(c, { type: "admin.user_signed_out", userId: user.id, detail: { endedSessions: ended.length } });
  return c.json({ endedSessions: ended.length } satisfies AdminSignedOut);
});

describeRoute(adminRoutes, {
  summary: "Platform admins: mark the user's email address verified.",
  responses: { 200: "Verified", 404: "not_found", 409: "conflict (no email)" },
});
adminRoutes.post("/users/:id/verify-email", async (c) => {
  const user = await targetUser(c);
  if (!user.email) throw new ApiError("conflict", { detail: "This account has no email address." });
  await markEmailVerified(c.env, user.id);
  if (user.emailVerifiedAt === null) audit(c, { type: "admin.email_verified", userId: user.id });
  return c.json({ user: adminView({ ...user, emailVerifiedAt: user.emailVerifiedAt ?? clock.now() }) } satisfies AdminUserChanged);
});

// ---------------------------------------------------------------------------
describeRoute(adminRoutes, {
  summary:
    "Platform admins: delete the user and their memberships. Organizations they alone belong to go too; one where they are the last owner of other members is refused (409 last_owner: make someone else owner first).",
  responses: { 204: "Deleted", 404: "not_found", 409: "last_owner or conflict (yourself)" },
});
adminRoutes.delete("/users/:id", requireRecentAuth(), async (c) => {
  const user = await targetUser(c);
  notSelf(c, user);
  const sole = await soleOwnerships(c.env, user.id);
  const blocking = sole.filter((o) => o.members > 1).map((o) => o.orgId);
  if (blocking.length)
    throw new ApiError("last_owner", { detail: "The user is the last owner of organizations with other members.", extensions: { organizations: blocking } });
  await endAllSessions(c.env, user.id);
  if (
    !(await deleteUserAndSoloOrgs(
      c.env,
      user.id,
      sole.map((o) => o.orgId),
    ))
  )
    throw new ApiError("not_found", { detail: "No such user." });
  audit(c, { type: "admin.user_deleted", userId: user.id, detail: { deletedOrganizations: sole.length } });
  return c.body(null, 204);
});

// ---------------------------------------------------------------------------
describeRoute(adminRoutes, {
  summary:
    "Platform admins: a 15-minute session as the user. Its tokens carry `act: {sub: adminId}` (RFC 8693); it cannot change security settings; the user sees it in their sessions and activity. Tokens come in the body only (no cookie).",
  responses: {
    200: "The impersonation session's tokens",
    403: "forbidden (another platform admin, or a disabled account)",
    404: "not_found",
    409: "conflict (yourself)",
  },
});
adminRoutes.post("/users/:id/impersonate", requireRecentAuth(), async (c) => {
  const user = await targetUser(c);
  notSelf(c, user);
  if (user.isPlatformAdmin || user.disabledAt) throw new ApiError("forbidden", { detail: "Platform admins and disabled accounts cannot be impersonated." });
  const adminId = c.get("userId")!;
  const tokens = await startSession(c.env, user.id, deviceInfo(c.req.raw), "impersonation", [], {
    actor: { sub: adminId },
    maxLifetimeMs: IMPERSONATION_LIFETIME_MS,
  });
  audit(c, { type: "impersonation.started", userId: user.id, sessionId: tokens.sessionId, detail: { adminId } });
  c.header("cache-control", "no-store");
  return c.json({
    accessToken: tokens.accessToken,
    tokenType: "Bearer",
    expiresIn: tokens.expiresIn,
    refreshToken: tokens.refreshToken,
    expiresAt: iso(tokens.refreshExpiresAt),
    user: publicUser(user),
    impersonator: { id: adminId },
  } satisfies Impersonation);
});
