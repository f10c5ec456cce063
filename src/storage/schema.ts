// The D1 schema (drizzle). `npm run db:generate` turns changes here into SQL in migrations/.
// Times are integer milliseconds since the epoch (UTC).
import { sql } from "drizzle-orm";
import { foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Normalised (trimmed, lower-cased) so uniqueness is case-insensitive. Null for phone/OAuth-only users. */
    email: text("email"),
    emailVerifiedAt: integer("email_verified_at"),
    name: text("name"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    disabledAt: integer("disabled_at"),
    // Profile (migrations/0003_profile.sql). Lower-cased, so uniqueness is case-insensitive.
    username: text("username"),
    /** "en" | "es": the language of every message sent to this user. Null: the request's language. */
    locale: text("locale"),
    /** IANA time zone name (canonical, as Intl resolves it). */
    timeZone: text("time_zone"),
    /** R2 object key of the avatar (random; a new upload gets a new key). */
    avatarKey: text("avatar_key"),
    /** Switched off by the user (not by an admin: that is disabledAt). */
    deactivatedAt: integer("deactivated_at"),
    /** The purge job removes the account at or after this time unless the user cancels. */
    deletionScheduledAt: integer("deletion_scheduled_at"),
    /** JSON of the optional notices the user chose (src/auth/preferences.ts). */
    notificationPrefs: text("notification_prefs"),
    /** Instance-level operator (README "Admin"): granted by `npm run admin:grant`, never through the API. */
    isPlatformAdmin: integer("is_platform_admin", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email).where(sql`${t.email} is not null`),
    uniqueIndex("users_username_unique").on(t.username).where(sql`${t.username} is not null`),
    index("users_deletion_due").on(t.deletionScheduledAt).where(sql`${t.deletionScheduledAt} is not null`),
    index("users_deactivated").on(t.deactivatedAt).where(sql`${t.deactivatedAt} is not null`),
  ],
);

/** A user's password, apart from the user: phone- or OAuth-only users have none. */
export const passwordCredentials = sqliteTable("password_credentials", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** PHC string: algorithm, parameters, salt and hash. */
  hash: text("hash").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Earlier password hashes, so a recent password cannot be chosen again. */
export const passwordHistory = sqliteTable(
  "password_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("password_history_user").on(t.userId, t.createdAt)],
);

export type User = typeof users.$inferSelect;

/**
 * Ways to sign in other than a password: a verified phone, an OAuth/OIDC account.
 * Keyed by (provider, subject): provider "phone" has the E.164 number as subject;
 * OAuth providers have the provider's stable user id (never the email).
 */
export const identities = sqliteTable(
  "identities",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    subject: text("subject").notNull(),
    /** The email the provider reported, and whether it said it was verified. */
    email: text("email"),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    verifiedAt: integer("verified_at"),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("identities_provider_subject").on(t.provider, t.subject), index("identities_user").on(t.userId)],
);

/** Security events (sign-ins, failures, changes). No secrets, codes or passwords, ever. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    userId: text("user_id"),
    type: text("type").notNull(),
    /** Why, for failures: "bad_password", "unknown_account", "throttled", ... */
    reason: text("reason"),
    sessionId: text("session_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    country: text("country"),
    city: text("city"),
    /** Small JSON object with event-specific, non-secret facts. */
    detail: text("detail"),
    createdAt: integer("created_at").notNull(),
    /** The organization the event belongs to (its activity feed). */
    orgId: text("org_id"),
    /** Who did it, when not the user themself (an org admin, a platform admin). */
    actorId: text("actor_id"),
    /** The platform admin behind an impersonation session (RFC 8693 `act`), if any. */
    impersonatorId: text("impersonator_id"),
  },
  (t) => [
    index("audit_user_time").on(t.userId, t.createdAt),
    index("audit_time").on(t.createdAt),
    index("audit_org_time").on(t.orgId, t.createdAt),
    index("audit_actor_time").on(t.actorId, t.createdAt),
  ],
);

export type Identity = typeof identities.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;

// --- Second factors and passkeys (migrations/0005_second_factors.sql) -------------------

/** The authenticator-app secret: AES-GCM ciphertext (src/auth/secret-box.ts), never the plain secret. */
export const totpCredentials = sqliteTable("totp_credentials", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretCiphertext: text("secret_ciphertext").notNull(),
  /** Null while set-up waits for the first code. */
  confirmedAt: integer("confirmed_at"),
  createdAt: integer("created_at").notNull(),
});

/** One-time recovery codes, by SHA-256 (80-bit random codes need no slow hash). */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("recovery_codes_user_hash").on(t.userId, t.codeHash)],
);

/** WebAuthn credentials. `publicKey` is a public JWK (JSON); `credentialId` base64url. */
export const passkeys = sqliteTable(
  "passkeys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    credentialId: text("credential_id").notNull(),
    publicKey: text("public_key").notNull(),
    /** COSE algorithm: -7 ES256, -8 EdDSA, -257 RS256. */
    algorithm: integer("algorithm").notNull(),
    /** The authenticator's signature counter; 0 = it keeps none. */
    signCount: integer("sign_count").notNull().default(0),
    name: text("name").notNull(),
    /** JSON array of AuthenticatorTransport hints ("internal", "usb", "hybrid", ...). */
    transports: text("transports"),
    /** "multi_device" when backup-eligible (a synced passkey), else "single_device". */
    deviceType: text("device_type").notNull(),
    backedUp: integer("backed_up", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("passkeys_credential_id").on(t.credentialId), index("passkeys_user").on(t.userId)],
);

export type Passkey = typeof passkeys.$inferSelect;

/**
 * Email changes, kept while the old address may still revert them (7 days): the old
 * address gets a link whose token's SHA-256 is stored here, single use.
 */
export const emailChanges = sqliteTable(
  "email_changes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    oldEmail: text("old_email"),
    newEmail: text("new_email").notNull(),
    revertTokenHash: text("revert_token_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    revertExpiresAt: integer("revert_expires_at").notNull(),
    revertedAt: integer("reverted_at"),
  },
  (t) => [uniqueIndex("email_changes_revert_token").on(t.revertTokenHash), index("email_changes_user").on(t.userId, t.createdAt)],
);

export type EmailChange = typeof emailChanges.$inferSelect;
/** An organization: a building, a workspace, a team (README "Organizations"). */
export const organizations = sqliteTable(
  "organizations",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Lower-case, unique across the instance. */
    slug: text("slug").notNull(),
    /** Free label chosen by the application ("building", "workspace"...). */
    kind: text("kind"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("organizations_slug_unique").on(t.slug)],
);

/** Roles are data: each organization has its own, seeded from ORG_ROLE_TEMPLATE. */
export const orgRoles = sqliteTable(
  "org_roles",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    /** JSON array of permission strings. */
    permissions: text("permissions").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.key] })],
);

/** A user's one role in one organization. */
export const memberships = sqliteTable(
  "memberships",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleKey: text("role_key").notNull(),
    joinedAt: integer("joined_at").notNull(),
    lastActiveAt: integer("last_active_at"),
    invitedBy: text("invited_by"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    foreignKey({ columns: [t.orgId, t.roleKey], foreignColumns: [orgRoles.orgId, orgRoles.key] }),
    index("memberships_user").on(t.userId),
    index("memberships_org_role").on(t.orgId, t.roleKey),
  ],
);

/** An invitation: only SHA-256 of its 256-bit link token is stored. */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    roleKey: text("role_key").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    acceptedBy: text("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: integer("revoked_at"),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_unique").on(t.tokenHash),
    index("invitations_org_time").on(t.orgId, t.createdAt),
    index("invitations_email").on(t.email),
  ],
);

export type Organization = typeof organizations.$inferSelect;
export type OrgRole = typeof orgRoles.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
