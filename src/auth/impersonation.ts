// Impersonation (README "Admin"): a platform admin signs in AS a user to see what they
// see. The session lasts 15 minutes, its tokens carry `act: {sub: adminId}` (RFC 8693
// §4.1), every event it causes names the admin (src/http/audit.ts), and it may not touch
// the account's security settings. That refusal is ONE check, here, applied by
// requireUser to every route: a new security route only has to match a prefix below.

export const IMPERSONATION_LIFETIME_MS = 15 * 60 * 1000;

// Changing any of these is "changing security settings". Reads (GET) stay allowed so the
// admin sees what the user sees.
const SECURITY_PREFIXES = [
  "/api/me/password",
  "/api/me/phone",
  "/api/me/identities",
  "/api/me/sessions",
  "/api/me/email",
  "/api/me/mfa",
  "/api/me/totp",
  "/api/me/passkeys",
  "/api/me/recovery-codes",
  "/api/me/deactivate",
  "/api/auth/reauthenticate",
  "/api/admin",
];

export function isSecurityChange(method: string, path: string): boolean {
  if (path.startsWith("/api/admin")) return true;
  if (method === "GET" || method === "HEAD") return false;
  // Deleting the account itself.
  if (path === "/api/me" || path === "/api/me/") return true;
  return SECURITY_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}
