// Session shapes shared by the SessionFence object, the session domain code, storage and RPC.
// A leaf module (no imports), so no layer has to import another to name these types.

export type DeviceInfo = {
  userAgent: string;
  device: string;
  ip: string;
  country?: string;
  city?: string;
};

export type SessionRecord = DeviceInfo & {
  id: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  /** How the session started: "password", "email_code", "oauth:github", ... */
  method: string;
  /**
   * When the person last proved who they are in this session (sign-in, later
   * re-authentication); sensitive changes need it recent. Absent on records written
   * before it existed: createdAt stands in.
   */
  authenticatedAt?: number;
  /**
   * How the person proved who they are (RFC 8176 values: pwd, otp, sms, hwk, user, fed,
   * rc, and mfa when two factors were used); a re-authentication adds its own. Absent on
   * records written before it existed.
   */
  amr?: string[];
  /**
   * A step the account must finish before this session is complete (policy
   * OAUTH_REQUIRE_PHONE). Its access tokens carry the claim `pending` and are refused
   * everywhere but the routes that finish the step; refresh copies it from here.
   */
  pending?: PendingStep;
  /**
   * The organization this session works in (POST /api/auth/switch-org). Only the id is
   * kept: the role and permissions in the token's `org` claim are read from D1 each time
   * a token is issued, so a role change reaches the session at its next refresh.
   */
  activeOrgId?: string;
  /**
   * Set on an impersonation session: the platform admin acting as this user (RFC 8693
   * `act` claim). Such a session lasts 15 minutes and cannot change security settings.
   */
  actor?: { sub: string };
};

export type PendingStep = "phone";

/** The token's `org` claim: the session's active organization and the caller's role in it. */
export type OrgClaim = { id: string; slug: string; role: string; permissions: string[] };

export type RotateResult = { ok: true; session: SessionRecord } | { ok: false; reason: "invalid" | "reused" | "expired" | "revoked" };

/** "first": the user had no known device yet (their first sign-in); "new": unseen before; "known": seen. */
export type DeviceSighting = "first" | "known" | "new";
