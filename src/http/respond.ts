// Responses that carry tokens: never cached (RFC 6749 §5.1), refresh token in the
// HttpOnly cookie for browsers or in the body for clients that asked for it.
import type { Context } from "hono";
import { clock } from "../clock";
import type { IssuedTokens } from "../auth/session";
import type { User } from "../storage/schema";
import { setRefreshCookie, wantsBodyTransport } from "./cookies";
import type { Accepted, TokenResponse } from "../contract/auth";

export function publicUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    name: user.name,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

/**
 * Where an avatar is served (src/routes/avatars.ts): a path on this origin, one per upload.
 * A path, not an absolute URL, so the web app can show it under its `img-src 'self'` CSP
 * whatever host it is reached by; other clients resolve it against the API's origin.
 */
export const avatarUrl = (key: string) => `/api/avatars/${key}`;

/** GET /api/me: the public user plus the editable profile. */
export function profileBody(user: User) {
  return {
    ...publicUser(user),
    username: user.username,
    avatarUrl: user.avatarKey ? avatarUrl(user.avatarKey) : null,
    locale: user.locale,
    timeZone: user.timeZone,
    deletionScheduledAt: user.deletionScheduledAt ? new Date(user.deletionScheduledAt).toISOString() : null,
  };
}

export type RefreshTransport = "cookie" | "body";

/**
 * `transport`: where the refresh token goes. At sign-in the client chooses
 * (`X-Token-Transport: body`); at refresh it goes back where it came from, so a
 * cookie-authenticated refresh never puts the token where script can read it.
 */
export function tokenResponse(
  c: Context,
  tokens: IssuedTokens,
  extra: Record<string, unknown> = {},
  status: 200 | 201 = 200,
  transport: RefreshTransport = wantsBodyTransport(c) ? "body" : "cookie",
) {
  c.header("cache-control", "no-store");
  c.header("pragma", "no-cache");
  const body: Record<string, unknown> = {
    accessToken: tokens.accessToken,
    tokenType: "Bearer",
    expiresIn: tokens.expiresIn,
    ...(tokens.pending ? { pending: tokens.pending } : {}),
    ...extra,
  } satisfies TokenResponse;
  if (transport === "body") body.refreshToken = tokens.refreshToken;
  else setRefreshCookie(c, tokens.refreshToken, tokens.refreshExpiresAt, clock.now());
  return c.json(body, status);
}

/** 202 with the same body whatever happened, so the response reveals nothing. */
export function accepted(c: Context) {
  c.header("cache-control", "no-store");
  return c.json({ status: "accepted", message: "If the address can receive mail, a message is on its way." } satisfies Accepted, 202);
}
