// Rules for the editable profile: usernames and time zones. Pure functions (no I/O).

/** 3–30 of a-z 0-9 _ . - after lower-casing: the stored form, so uniqueness is case-insensitive. */
export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,30}$/;

// Names that would let an account pass for the service or its staff, or collide with
// routes and well-known mailboxes (RFC 2142). Compared after removing . _ - so
// "ad.min" or "support_" are refused too.
const RESERVED = new Set([
  "admin",
  "administrator",
  "root",
  "system",
  "sysadmin",
  "superuser",
  "support",
  "help",
  "helpdesk",
  "security",
  "abuse",
  "postmaster",
  "hostmaster",
  "webmaster",
  "noreply",
  "noreplay",
  "mailerdaemon",
  "info",
  "contact",
  "staff",
  "moderator",
  "mod",
  "official",
  "owner",
  "team",
  "billing",
  "legal",
  "privacy",
  "api",
  "auth",
  "login",
  "logout",
  "signin",
  "signup",
  "register",
  "account",
  "accounts",
  "me",
  "settings",
  "profile",
  "dashboard",
  "app",
  "www",
  "mail",
  "email",
  "null",
  "undefined",
  "anonymous",
  "deleted",
  "edgeauth",
  "cloudflare",
  "test",
  "guest",
  "user",
]);

export function isReservedUsername(username: string): boolean {
  return RESERVED.has(username.replace(/[._-]/g, ""));
}

/**
 * The canonical IANA name of a time zone ("europe/madrid" -> "Europe/Madrid"), or null
 * when Intl does not know it. UTC offsets ("+01:00"), which newer engines also accept,
 * are refused: they are not zones (no daylight-saving rules).
 */
export function canonicalTimeZone(input: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(input)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: input }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
