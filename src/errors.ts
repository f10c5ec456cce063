// The error catalog: every error this service puts on the wire, in one place.
// Bodies are RFC 9457 problem+json. `code` is the stable contract clients switch on;
// `title` is a generic human sentence. Detail that would help an attacker (which
// check failed, whether an account exists) goes to the log, never to the wire.
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const errorCatalog = {
  validation_failed: { status: 400, title: "The request is not valid." },
  invalid_json: { status: 400, title: "The request body is not valid JSON." },
  weak_password: { status: 400, title: "The password does not meet the password policy." },
  invalid_phone_number: { status: 400, title: "The phone number is not valid." },
  invalid_code: { status: 400, title: "The code is not valid." },
  code_expired: { status: 400, title: "The code has expired. Ask for a new one." },
  too_many_attempts: { status: 429, title: "Too many wrong codes. Ask for a new code later." },
  invalid_credentials: { status: 401, title: "The email or password is not correct." },
  unauthorized: { status: 401, title: "Sign in to continue." },
  invalid_token: { status: 401, title: "The token is not valid." },
  token_expired: { status: 401, title: "The token has expired." },
  token_reused: { status: 401, title: "This refresh token was already used; the session has been ended." },
  session_ended: { status: 401, title: "The session has ended. Sign in again." },
  email_not_verified: { status: 403, title: "Verify your email address before signing in." },
  csrf_rejected: { status: 403, title: "Cross-site request refused." },
  signature_required: { status: 401, title: "This request must be signed." },
  invalid_signature: { status: 403, title: "The request signature is not valid." },
  phone_verification_required: { status: 403, title: "Verify a phone number to finish setting up your account." },
  reauthentication_required: { status: 403, title: "Sign in again to do this." },
  forbidden: { status: 403, title: "You are not allowed to do this." },
  not_found: { status: 404, title: "Not found." },
  signup_not_found: { status: 404, title: "This sign-up has expired or does not exist. Start again." },
  method_not_allowed: { status: 405, title: "Method not allowed." },
  conflict: { status: 409, title: "The request conflicts with the current state." },
  payload_too_large: { status: 413, title: "The request body is too large." },
  unsupported_media_type: { status: 415, title: "Send the body as application/json." },
  provider_not_configured: { status: 404, title: "This sign-in provider is not available." },
  oauth_state_invalid: { status: 400, title: "This sign-in attempt is not valid or has expired. Start again." },
  oauth_denied: { status: 400, title: "The sign-in was cancelled or refused at the provider." },
  oauth_failed: { status: 502, title: "The provider's answer could not be verified. Try again." },
  account_exists: {
    status: 409,
    title: "An account with this email already exists. Sign in to it, then link this provider under your account's sign-in methods.",
  },
  account_disabled: { status: 403, title: "This account is disabled." },
  identity_in_use: { status: 409, title: "This provider account is already linked to another user." },
  last_sign_in_method: { status: 409, title: "This is the account's last way to sign in. Add a password or another provider first." },
  rate_limited: { status: 429, title: "Too many requests. Try again later." },
  sign_in_throttled: { status: 429, title: "Too many failed sign-ins for this account. Try again later, or reset your password." },
  // Hardening (issue 10 §2): registrations wait for their own code.
  registration_not_found: { status: 404, title: "This registration has expired or does not exist. Sign up again." },
  // Production safety (issue 10): a required secret or provider setting is missing or malformed.
  service_misconfigured: { status: 503, title: "The service is not configured correctly. The operator has been told." },
  // Second factors and passkeys (README "Second factors and passkeys").
  mfa_token_invalid: { status: 401, title: "This sign-in step has expired or is not valid. Sign in again." },
  passkey_invalid: { status: 400, title: "The passkey could not be verified. Try again." },
  mfa_not_enabled: { status: 409, title: "Two-step verification is not turned on for this account." },
  mfa_already_enabled: { status: 409, title: "Two-step verification is already on. Turn it off first to set up a new authenticator app." },
  // Profile and account lifecycle (issue 13).
  username_taken: { status: 409, title: "This username is taken. Choose another." },
  invalid_image: { status: 400, title: "The image is not a valid PNG, JPEG or WebP within the size limits." },
  unsupported_image_type: { status: 415, title: "Send the image as image/png, image/jpeg or image/webp." },
  email_unavailable: { status: 409, title: "This email address cannot be used for this account." },
  account_deactivated: { status: 403, title: "This account is deactivated. Confirm to reactivate it." },
  deletion_blocked: { status: 409, title: "Transfer or delete the organizations you are the last owner of first." },
  // Organizations, invitations, invite-only sign-up, admin (README "Organizations").
  last_owner: { status: 409, title: "An organization must keep at least one owner." },
  slug_taken: { status: 409, title: "This organization slug is already taken." },
  role_in_use: { status: 409, title: "Members still hold this role. Give them another role first." },
  role_exists: { status: 409, title: "A role with this key already exists." },
  already_member: { status: 409, title: "You are already a member of this organization." },
  invitation_email_mismatch: { status: 403, title: "This invitation was sent to another email address. Sign in with that address (verified) to accept it." },
  registration_invite_only: { status: 403, title: "Sign-up is by invitation only. Ask an organization to invite you." },
  impersonation_forbidden: { status: 403, title: "An impersonation session cannot change security settings." },
  configuration_error: { status: 503, title: "The service is misconfigured. The operator has been told through /health." },
  internal_error: { status: 500, title: "Something went wrong on our side." },
  service_unavailable: { status: 503, title: "The service is temporarily unavailable." },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export type FieldError = { path: string; message: string };

export type ProblemOptions = {
  /** Shown to the client: only what is safe and useful to say. */
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members of the problem object (RFC 9457 §3.2 extensions). */
  extensions?: Record<string, unknown>;
  /** For the log only. */
  cause?: unknown;
};

/** Thrown at the route boundary; turned into problem+json by the app's single onError. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly options: ProblemOptions = {},
  ) {
    super(options.detail ?? errorCatalog[code].title, { cause: options.cause });
    this.name = "ApiError";
  }

  get status(): ContentfulStatusCode {
    return errorCatalog[this.code].status;
  }
}

export function problemBody(code: ErrorCode, options: ProblemOptions = {}) {
  const { status, title } = errorCatalog[code];
  return {
    type: `urn:edge-auth:problem:${code}`,
    title,
    status,
    detail: options.detail ?? title,
    code,
    ...(options.errors ? { errors: options.errors } : {}),
    ...options.extensions,
  };
}

export function problemResponse(code: ErrorCode, options: ProblemOptions = {}): Response {
  const body = problemBody(code, options);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      ...options.headers,
    },
  });
}

/**
 * A deployment setting that cannot work (a missing or malformed secret, a development-only
 * provider outside development). The message names the setting and goes to the log only;
 * the client gets 503 service_misconfigured, and /health names the failing check.
 */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}
