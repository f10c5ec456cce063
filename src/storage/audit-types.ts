// The audit event types this service records. A plain list with no imports, so the SPA's
// tests can check that every type has a label in every language.
export const AUDIT_TYPES = [
  "sign_in.success",
  "sign_in.failure",
  "sign_out",
  "session.revoked",
  "refresh_token.reused",
  "email.verified",
  "password.changed",
  "password.reset",
  "account.throttled",
  "rate_limited",
  "phone.verified",
  "identity.linked",
  "identity.link_failed",
  "identity.unlinked",
  "message.undeliverable",
  "message.expired",
  // Profile and account lifecycle (issue 13).
  "profile.updated",
  "avatar.changed",
  "avatar.removed",
  "preferences.updated",
  "email.change_requested",
  "email.changed",
  "email.change_reverted",
  "account.deactivated",
  "account.reactivated",
  "account.deletion_scheduled",
  "account.deletion_cancelled",
  "account.deleted",
  "account.exported",
] as const;

export type KnownAuditType = (typeof AUDIT_TYPES)[number];
