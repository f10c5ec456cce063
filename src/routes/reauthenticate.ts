// Re-authentication (step-up) for the signed-in user: POST /api/auth/reauthenticate with
// a password, a one-time code (sent by /api/auth/reauthenticate/code), an authenticator-app
// code or a passkey. Afterwards the session counts as freshly signed in for
// REAUTH_WINDOW_SECONDS, and a new access token carries the new auth_time and amr.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sendOneTimeCode } from "../auth/code-delivery";
import { reauthCodeDestination, reauthenticate, REAUTH_CODE_PURPOSE } from "../auth/reauthenticate";
import { accessTokenFor } from "../auth/session";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { codeRefusal } from "../http/code-refusal";
import { requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import { accepted } from "../http/respond";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { chooseLocale } from "../messages/code-texts";
import { findUserById } from "../storage/users";
import type { Reauthenticated } from "../contract/auth";

export const reauthRoutes = new Hono<AppEnv>();
describeRoutes(reauthRoutes, { tags: ["Second factors and passkeys"], auth: "bearer" });

// ---------------------------------------------------------------------------
const ReauthBody = z.union([
  z.object({ password: f.password }),
  z.object({ code: f.code }),
  z.object({ totp: f.code }),
  z.object({ passkey: f.passkeyAssertion }),
]);
const ReauthResponse = z.object({ authenticatedAt: z.string(), amr: z.array(z.string()), accessToken: z.string(), expiresIn: z.number() });
describeRoute(reauthRoutes, {
  body: ReauthBody,
  summary:
    "Prove who you are again (password, a one-time code from /api/auth/reauthenticate/code, an authenticator-app code, or a passkey with options from /api/auth/passkey/options): the session's authentication time becomes now, so sensitive changes are allowed for REAUTH_WINDOW_SECONDS. Returns a new access token with the new auth_time and amr.",
  responses: {
    200: { description: "Re-authenticated", schema: ReauthResponse },
    400: "invalid_code, code_expired, passkey_invalid or validation_failed (no such method on this account)",
    401: "invalid_credentials or session_ended",
    429: "sign_in_throttled or too_many_attempts",
  },
});
reauthRoutes.post("/", requireUser(), jsonBody(ReauthBody), async (c) => {
  const proof = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "auth.reauthenticate", { account: userId });
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("session_ended");
  const result = await reauthenticate(c.env, user, c.get("sessionId")!, proof);
  if (!result.ok) {
    if (result.reason !== "ended") audit(c, { type: "mfa.failure", userId, sessionId: c.get("sessionId"), reason: `reauthenticate_${result.reason}` });
    if (result.reason === "throttled")
      throw new ApiError("sign_in_throttled", { headers: { "retry-after": String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) } });
    if (result.reason === "ended") throw new ApiError("session_ended");
    if (result.reason === "no_such_method") throw new ApiError("validation_failed", { detail: "This account cannot confirm its identity that way." });
    if (result.reason === "code_refused") throw await codeRefusal(c, result.failure);
    if ("password" in proof) throw new ApiError("invalid_credentials", { detail: "The password is not correct." });
    throw new ApiError("passkey" in proof ? "passkey_invalid" : "invalid_code");
  }
  const access = await accessTokenFor(c.env, result.session);
  audit(c, { type: "session.reauthenticated", userId, sessionId: c.get("sessionId"), detail: { amr: (result.session.amr ?? []).join(" ") } });
  c.header("cache-control", "no-store");
  return c.json({
    authenticatedAt: new Date(result.session.authenticatedAt!).toISOString(),
    amr: result.session.amr ?? [],
    accessToken: access.token,
    tokenType: "Bearer",
    expiresIn: access.expiresIn,
  } satisfies Reauthenticated);
});

// ---------------------------------------------------------------------------
const SendBody = z.object({ locale: z.optional(f.locale) });
describeRoute(reauthRoutes, {
  body: SendBody,
  summary: "Send a one-time code for re-authentication to the account's verified email (else its verified phone, by SMS). Always 202.",
  responses: { 202: "Accepted" },
});
reauthRoutes.post("/code", requireUser(), jsonBody(SendBody), async (c) => {
  const { locale } = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "auth.reauthenticate", { account: userId });
  const user = await findUserById(c.env, userId);
  const to = user && !user.disabledAt ? await reauthCodeDestination(c.env, user) : null;
  if (to) {
    await enforceRateLimit(c, "email" in to.destination ? "code.send-email" : "code.send-phone", { target: to.target });
    const text = "sign-in" as const;
    c.executionCtx.waitUntil(
      sendOneTimeCode(c.env, {
        purpose: REAUTH_CODE_PURPOSE,
        target: to.target,
        destination: to.destination,
        text,
        locale: chooseLocale(locale, c.req.header("accept-language")),
        userId,
        deliver: true,
      }),
    );
  }
  return accepted(c);
});
