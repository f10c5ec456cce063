// The cookie that binds a sign-in's second step to the browser that did the first: the
// mfaToken alone (leaked from a log, a screenshot, a redirect URL) is useless elsewhere.
// __Host-: Secure, Path=/, no Domain, so no sibling subdomain can plant or read it.
// HttpOnly, 5 minutes. SameSite=None because Apple's social sign-in answers with a
// cross-site POST (form_post), and a browser keeps a Lax or Strict cookie from such a
// response only for safe methods; it adds nothing here anyway: the cookie is a binding,
// not a credential, and the second step refuses cross-site requests (refuseCrossSite).
// A value already in the browser is reused, so two tabs signing in do not lock each
// other out.
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { randomToken } from "../auth/secrets";
import { MFA_TOKEN_TTL_MS } from "../auth/sign-in";
import { ID } from "../model/ids";

export const MFA_BINDING_COOKIE = "__Host-edge-mfa";

export function readMfaBinding(c: Context): string | undefined {
  const value = getCookie(c, MFA_BINDING_COOKIE);
  return value && ID.token256.test(value) ? value : undefined;
}

/** The browser's binding value: the one it has, or a new one. */
export const mfaBindingFor = (c: Context): string => readMfaBinding(c) ?? randomToken();

export function setMfaBindingCookie(c: Context, binding: string): void {
  setCookie(c, MFA_BINDING_COOKIE, binding, { path: "/", httpOnly: true, secure: true, sameSite: "None", maxAge: MFA_TOKEN_TTL_MS / 1000 });
}
