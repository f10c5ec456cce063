// The refresh-token cookie. HttpOnly (no script can read it), Secure, SameSite=Strict,
// and scoped to /api/auth so it travels only to the endpoints that use it. The path
// rules out the __Host- prefix, so it carries __Secure- instead.
// Non-browser clients skip cookies: they send `X-Token-Transport: body` and get the
// refresh token in the JSON body, then post it back as {"refreshToken": "..."}.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

export const REFRESH_COOKIE = "__Secure-edge-refresh";
const PATH = "/api/auth";

export function wantsBodyTransport(c: Context): boolean {
  return c.req.header("x-token-transport")?.toLowerCase() === "body";
}

export function setRefreshCookie(c: Context, token: string, expiresAt: number, now: number): void {
  setCookie(c, REFRESH_COOKIE, token, {
    path: PATH,
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  });
}

export function readRefreshCookie(c: Context): string | undefined {
  return getCookie(c, REFRESH_COOKIE);
}

export function clearRefreshCookie(c: Context): void {
  deleteCookie(c, REFRESH_COOKIE, { path: PATH, secure: true, httpOnly: true, sameSite: "Strict" });
}
