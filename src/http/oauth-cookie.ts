// The cookie that binds a social sign-in transaction to the browser that started it.
// HttpOnly, Secure, 10 minutes, `__Host-` prefixed (so Path=/, host-only: no sibling
// subdomain can plant a binding value of its choosing). SameSite=None because
// Apple answers with a cross-site POST (response_mode=form_post) that a Lax cookie would
// miss; SameSite adds nothing here anyway: the callback also needs the unguessable
// state, and a state lured into another browser fails because that browser's cookie
// does not match the one stored with the transaction. The value is new for every
// transaction (src/auth/oauth/transaction.ts): the cookie is only ever read at the
// callback, never to seed the next transaction.
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { OAUTH_TRANSACTION_TTL_SECONDS } from "../storage/oauth";

export const OAUTH_BINDING_COOKIE = "__Host-edge-oauth";

export function setOAuthBindingCookie(c: Context, binding: string): void {
  setCookie(c, OAUTH_BINDING_COOKIE, binding, { path: "/", httpOnly: true, secure: true, sameSite: "None", maxAge: OAUTH_TRANSACTION_TTL_SECONDS });
}

export function readOAuthBindingCookie(c: Context): string | undefined {
  return getCookie(c, OAUTH_BINDING_COOKIE);
}
