// The refresh-token cookie: `__Host-edge-refresh`, HttpOnly (no script can read it),
// Secure, SameSite=Strict, Path=/. The __Host- prefix makes the browser refuse it unless
// it is Secure, host-only (no Domain) and Path=/, so no sibling subdomain or plain-HTTP
// page can plant or shadow it (RFC 6265bis §4.1.3.2). It travels with every same-site
// request to this origin, which only ever reads it at /api/auth/refresh and /logout.
// Non-browser clients skip cookies: they send `X-Token-Transport: body` at sign-in and
// get the refresh token in the JSON body, then post it back as {"refreshToken": "..."}.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

export const REFRESH_COOKIE = "__Host-edge-refresh";
/** The cookie before the __Host- prefix (Path=/api/auth): still read, so a deploy signs nobody out, and cleared. */
const LEGACY_REFRESH_COOKIE = "__Secure-edge-refresh";
const LEGACY_PATH = "/api/auth";

export function wantsBodyTransport(c: Context): boolean {
  return c.req.header("x-token-transport")?.toLowerCase() === "body";
}

export function setRefreshCookie(c: Context, token: string, expiresAt: number, now: number): void {
  setCookie(c, REFRESH_COOKIE, token, {
    path: "/",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  });
  clearLegacyCookie(c);
}

export function readRefreshCookie(c: Context): string | undefined {
  return getCookie(c, REFRESH_COOKIE) ?? getCookie(c, LEGACY_REFRESH_COOKIE);
}

export function clearRefreshCookie(c: Context): void {
  deleteCookie(c, REFRESH_COOKIE, { path: "/", secure: true, httpOnly: true, sameSite: "Strict" });
  clearLegacyCookie(c);
}

function clearLegacyCookie(c: Context): void {
  if (getCookie(c, LEGACY_REFRESH_COOKIE) !== undefined)
    deleteCookie(c, LEGACY_REFRESH_COOKIE, { path: LEGACY_PATH, secure: true, httpOnly: true, sameSite: "Strict" });
}
