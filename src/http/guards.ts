// Cross-cutting request guards: body size, CSRF, bearer authentication, fresh sign-in.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { verifyAccessToken } from "../auth/access-token";
import { freshWindowSeconds, signInFreshness } from "../auth/fresh-sign-in";
import { findSession } from "../auth/session";
import type { Channel } from "../messages/message";
import { assertChannelReady } from "../readiness";
import { isSecurityChange } from "../auth/impersonation";

export const MAX_BODY_BYTES = 64 * 1024;
const OAUTH_CALLBACK_PATH = /^\/api\/auth\/oauth\/[a-z0-9]{1,32}\/callback$/;
const PROVIDER_WEBHOOK_PATH = /^\/api\/webhooks\/(?:twilio\/status|meta\/whatsapp)$/;

/** The avatar upload (PUT /api/me/avatar) is the one raw, larger body: README "Avatar storage". */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
const AVATAR_UPLOAD_PATH = "/api/me/avatar";

const bodyLimitOf = (maxSize: number, what: string): MiddlewareHandler<AppEnv> =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError("payload_too_large", {
        detail: `${what} are limited to ${maxSize >= 1024 * 1024 ? `${maxSize / 1024 / 1024} MB` : `${maxSize / 1024} KiB`}.`,
      });
    },
  });

export const limitBody = (): MiddlewareHandler<AppEnv> => {
  const json = bodyLimitOf(MAX_BODY_BYTES, "Bodies");
  const avatar = bodyLimitOf(AVATAR_MAX_BYTES, "Images");
  return (c, next) => (c.req.method === "PUT" && c.req.path === AVATAR_UPLOAD_PATH ? avatar : json)(c, next);
};

/**
 * CSRF defence for every state-changing request (cookie-authenticated or not: login
 * CSRF is an attack too). A browser tells us where a request comes from through
 * Sec-Fetch-Site, or failing that Origin; a cross-site one is refused unless its origin
 * is on the CORS allow-list. Requests with neither header are not from a browser.
 */
export const refuseCrossSite = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
  // OAuth form_post callbacks (Apple) are cross-site POSTs by design; their CSRF defence
  // is the state + browser-binding cookie check (RFC 6749 §10.12), see auth/oauth/transaction.ts.
  const path = new URL(c.req.url).pathname;
  if (OAUTH_CALLBACK_PATH.test(path)) return next();
  // Provider delivery reports are server-to-server and carry no cookies; each is
  // authenticated by its provider's HMAC signature instead (routes/webhooks.ts).
  if (PROVIDER_WEBHOOK_PATH.test(path)) return next();
  const origin = c.req.header("origin");
  const site = c.req.header("sec-fetch-site");
  const allowed = config(c.env).corsOrigins;
  const sameOrigin = origin === undefined || origin === config(c.env).origin || origin === new URL(c.req.url).origin;
  const fromAllowed = origin !== undefined && allowed.includes(origin);
  if (site === "cross-site" && !fromAllowed) throw new ApiError("csrf_rejected");
  if (site !== "same-origin" && site !== "none" && !sameOrigin && !fromAllowed) throw new ApiError("csrf_rejected");
  return next();
};

/**
 * Requires `Authorization: Bearer <access JWT>`: signature and claims (no I/O), then the
 * user's session fence, so a revoked session's (or a disabled account's) token is refused
 * at once rather than when it expires (<= 15 min). Asking the fence is the DEFAULT, so
 * every route added under /api/me gets it without thinking; `checkSession: false` is the
 * explicit exception, for reads that are fine for a token's remaining minutes
 * (GET /api/me, which reads the user row anyway, and GET /api/me/token, the no-I/O probe).
 * A token with a `pending` claim (policy OAUTH_REQUIRE_PHONE: the account still needs a
 * verified phone) is refused with 403 phone_verification_required unless `allowPending`:
 * only the routes that finish that step, and the profile read, set it.
 */
export const requireUser =
  (options: { checkSession?: boolean; allowPending?: boolean } = {}): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError("unauthorized", { headers: { "www-authenticate": 'Bearer realm="api"' } });
    const result = await verifyAccessToken(c.env, m[1]!);
    if (!result.ok) {
      const code = result.reason === "expired" ? "token_expired" : "invalid_token";
      throw new ApiError(code, { headers: { "www-authenticate": `Bearer realm="api", error="invalid_token"` } });
    }
    if (result.claims.pending && !options.allowPending) {
      throw new ApiError("phone_verification_required", {
        detail: "Verify a phone number (POST /api/me/phone, then /api/me/phone/verify), then refresh the session.",
        extensions: { pending: result.claims.pending },
      });
    }
    // An impersonation session never changes security settings (src/auth/impersonation.ts).
    if (result.claims.act && isSecurityChange(c.req.method, new URL(c.req.url).pathname)) throw new ApiError("impersonation_forbidden");
    if (options.checkSession !== false) {
      const session = await findSession(c.env, result.claims.sub, result.claims.sid);
      if (!session) throw new ApiError("session_ended");
      c.set("session", session);
    }
    c.set("userId", result.claims.sub);
    c.set("sessionId", result.claims.sid);
    c.set("accessExpiresAt", result.claims.exp);
    if (result.claims.act) c.set("impersonatorId", result.claims.act.sub);
    if (result.claims.org) c.set("orgClaim", result.claims.org);
    return next();
  };

/**
 * After `requireUser()`: the session must be live AND its sign-in (or last
 * re-authentication: POST /api/auth/reauthenticate) no older than REAUTH_WINDOW_SECONDS, else 403
 * `reauthentication_required` (401 `session_ended` when the session is over, so it also
 * does what `checkSession` does). Every route that adds, links, unlinks or changes a way
 * to sign in uses it: a stolen access or refresh token alone must not be able to plant
 * the thief's own sign-in method on the account.
 */
export const requireRecentAuth = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const userId = c.get("userId");
  const sessionId = c.get("sessionId");
  if (!userId || !sessionId) throw new ApiError("unauthorized", { headers: { "www-authenticate": 'Bearer realm="api"' } });
  const freshness = await signInFreshness(c.env, userId, sessionId, c.get("session"));
  if (freshness === "ended") throw new ApiError("session_ended");
  if (freshness === "stale") {
    const maxAgeSeconds = freshWindowSeconds(c.env);
    throw new ApiError("reauthentication_required", {
      detail: `Sign in again to do this: it needs a sign-in within the last ${Math.max(1, Math.round(maxAgeSeconds / 60))} minutes.`,
      extensions: { maxAgeSeconds },
    });
  }
  return next();
};

/**
 * For routes whose whole point is a message on `channel`: 503 service_misconfigured up
 * front when no provider can send it here (src/readiness.ts), instead of the usual 202
 * for a message that would never leave. The answer is the same for every address, so it
 * reveals nothing about accounts.
 */
export const requireChannel =
  (channel: Channel): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    assertChannelReady(c.env, channel);
    return next();
  };
