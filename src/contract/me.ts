// Answers of /api/me and below: the signed-in user's profile, sessions, activity, sign-in
// methods and second factors. Types only (src/contract/README.md).
import type { PublicUser } from "./auth";

/** The profile (PATCH /api/me, POST /api/me/email/verify). */
export type Profile = PublicUser & {
  username: string | null;
  /** A same-origin path (the SPA's CSP allows `img-src 'self'`). */
  avatarUrl: string | null;
  /** A language the messages come in ("en", "es"); null: the browser's. */
  locale: string | null;
  timeZone: string | null;
  deletionScheduledAt: string | null;
};

/** GET /api/me: the profile plus what only its owner sees. */
export type MeResponse = Profile & {
  isPlatformAdmin: boolean;
  /** Set while a platform admin acts as this user. */
  impersonatedBy: string | null;
};

/** GET and PATCH /api/me/preferences. `security` notices cannot be switched off. */
export type Preferences = { locale: string | null; notifications: { security: true; newDevice: boolean } };

export type SessionItem = {
  id: string;
  /** The session making this request. */
  current: boolean;
  device: string;
  ip: string;
  country: string | null;
  city: string | null;
  method: string;
  createdAt: string;
  lastUsedAt: string;
  amr: string[];
  authenticatedAt: string;
};
/** GET /api/me/sessions */
export type SessionsResponse = { sessions: SessionItem[] };
/** DELETE /api/me/sessions */
export type SessionsEnded = { ended: number };

/** One security event; IP and device of an event someone else caused are null. */
export type ActivityItem = {
  id: string;
  type: string;
  reason: string | null;
  at: string;
  sessionId: string | null;
  ip: string | null;
  device: string | null;
  country: string | null;
  city: string | null;
  orgId: string | null;
  actorId: string | null;
  impersonatorId: string | null;
};
/** GET /api/me/activity: pass `nextCursor` back as `cursor`. */
export type ActivityPage = { events: ActivityItem[]; nextCursor: string | null };

export type Identity = {
  id: string;
  provider: string;
  email: string | null;
  emailVerified: boolean;
  createdAt: string;
  lastUsedAt: string | null;
};
/** GET /api/me/identities */
export type IdentitiesResponse = { identities: Identity[]; hasPassword: boolean; phoneVerificationRequired: boolean };
/** POST /api/me/identities/:provider */
export type LinkStarted = { authorizationUrl: string };

/** GET /api/me/phone */
export type MyPhone = { phone: string | null; verifiedAt: string | null };
/** POST /api/me/phone/verify */
export type PhoneVerified = { phone: string; verifiedAt: string | null };

/** GET /api/me/mfa */
export type MfaStatus = { totp: boolean; passkeys: number; recoveryCodesLeft: number };
/** POST /api/me/mfa/totp/setup */
export type TotpSetup = { secret: string; otpauthUri: string; qrSvg: string };
/** Shown once: POST /api/me/mfa/totp/confirm and /api/me/mfa/recovery-codes. */
export type RecoveryCodes = { recoveryCodes: string[] };

export type Passkey = {
  id: string;
  name: string;
  deviceType: string;
  backedUp: boolean;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
};
/** GET /api/me/passkeys */
export type PasskeysResponse = { passkeys: Passkey[] };

/** PUT /api/me/avatar */
export type AvatarUploaded = { avatarUrl: string };
/** DELETE /api/me (202) */
export type DeletionScheduled = { deletionScheduledAt: string };

/** A passkey the options name (WebAuthn JSON form: ids are base64url). */
export type CredentialDescriptor = { type: "public-key"; id: string; transports?: string[] };
/** POST /api/me/passkeys/options: for navigator.credentials.create() once the ids are decoded. */
export type PasskeyCreationOptions = {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: "public-key"; alg: number }[];
  timeout: number;
  authenticatorSelection: { residentKey: "required"; requireResidentKey: true; userVerification: "required" };
  attestation: "none";
  excludeCredentials: CredentialDescriptor[];
};
