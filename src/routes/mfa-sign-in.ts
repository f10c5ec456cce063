// The second step of a sign-in (POST /api/auth/mfa/verify) and signing in with a passkey
// alone (POST /api/auth/passkey/options, /verify). Both end like every other sign-in:
// tokens and the refresh cookie, through the same response helpers.
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { clock } from "../clock";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { deviceInfo } from "../auth/device";
import { signInWithPasskey } from "../auth/passkey-sign-in";
import { authenticationOptions } from "../auth/passkeys";
import { finishSecondStep, peekMfaChallenge, type SecondStepResult } from "../auth/sign-in";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { mfaBindingFor, readMfaBinding } from "../http/mfa-cookie";
import { describeRoute, describeRoutes } from "../http/openapi";
import { publicUser, tokenResponse } from "../http/respond";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { recipientLocale } from "../http/locale";
import { recoveryCodeUsedEmail } from "../messages/mfa-notices";
import { sendMessage } from "../messages/outbox";
import { signInThrottledEmail } from "../messages/security-notices";
import { ID } from "../model/ids";
import { countRecoveryCodesLeft } from "../storage/second-factors";
import type { User } from "../storage/schema";
import { findUserById } from "../storage/users";
import { recordSignInSuccess } from "./sign-in-events";
import { respondToFirstFactor } from "./sign-in-response";

export const mfaSignInRoutes = new Hono<AppEnv>();
describeRoutes(mfaSignInRoutes, { tags: ["Second factors and passkeys"] });
const TokenBody = z.object({ accessToken: z.string(), tokenType: z.literal("Bearer"), expiresIn: z.number(), refreshToken: z.optional(z.string()) });
const mfaToken = z.string().check(z.regex(ID.token256, "The mfaToken is not valid."));

// ---------------------------------------------------------------------------
const VerifyBody = z.union([
  z.object({ mfaToken, code: f.code }),
  z.object({ mfaToken, recoveryCode: f.recoveryCode }),
  z.object({ mfaToken, passkey: f.passkeyAssertion }),
]);
describeRoute(mfaSignInRoutes, {
  body: VerifyBody,
  summary:
    "The second step of a sign-in that answered {mfaRequired: true}: the mfaToken (from this browser: its __Host-edge-mfa cookie) and an authenticator-app code, a recovery code or a passkey assertion (options from /api/auth/passkey/options with the mfaToken). Five answers per mfaToken, then sign in again.",
  responses: {
    200: { description: "Signed in, as /api/auth/login", schema: TokenBody },
    400: "invalid_code or passkey_invalid (with attemptsLeft)",
    401: "mfa_token_invalid: used, expired, out of attempts or from another browser",
    429: "sign_in_throttled (the account's second-step lock-out)",
  },
});
mfaSignInRoutes.post("/mfa/verify", jsonBody(VerifyBody), async (c) => {
  const { mfaToken, ...answer } = c.req.valid("json");
  await enforceRateLimit(c, "auth.mfa-verify");
  const result = await finishSecondStep(c.env, { mfaToken, binding: readMfaBinding(c), answer, device: deviceInfo(c.req.raw) });
  if (!result.ok) throw secondStepError(c, result);
  if (result.factor === "recovery_code") await noteRecoveryCodeUse(c, result.user, result.session.sessionId);
  await recordSignInSuccess(c, result.user, result.session, result.method);
  return tokenResponse(c, result.session, { user: publicUser(result.user) });
});

function secondStepError(c: Context<AppEnv>, result: Extract<SecondStepResult, { ok: false }>): ApiError {
  if (!("userId" in result)) return new ApiError("mfa_token_invalid");
  if (result.reason === "throttled") {
    if (result.firstRefusal) audit(c, { type: "mfa.failure", userId: result.userId, reason: "throttled" });
    return new ApiError("sign_in_throttled", { headers: { "retry-after": String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) } });
  }
  audit(c, {
    type: "mfa.failure",
    userId: result.userId,
    reason: `wrong_${result.factor}`,
    detail: { failures: result.failures, attemptsLeft: result.attemptsLeft },
  });
  if (result.lockoutStarted) {
    audit(c, { type: "account.throttled", userId: result.userId, reason: "too_many_second_step_failures", detail: { failures: result.failures } });
    c.executionCtx.waitUntil(
      findUserById(c.env, result.userId).then((u) =>
        u?.email
          ? sendMessage(
              c.env,
              "email",
              u.email,
              signInThrottledEmail(config(c.env), recipientLocale(c, u), { failures: result.failures, at: clock.now(), timeZone: u.timeZone }),
            )
          : undefined,
      ),
    );
  }
  // The last attempt spent the token: say so now rather than at the next try.
  if (result.attemptsLeft === 0) return new ApiError("mfa_token_invalid", { detail: "Too many wrong answers. Sign in again." });
  return new ApiError(result.factor === "passkey" ? "passkey_invalid" : "invalid_code", { extensions: { attemptsLeft: result.attemptsLeft } });
}

/** Recovery codes are the break-glass factor: every use is audited and the owner is told. */
async function noteRecoveryCodeUse(c: Context<AppEnv>, user: User, sessionId: string): Promise<void> {
  const left = await countRecoveryCodesLeft(c.env, user.id);
  audit(c, { type: "mfa.recovery_code_used", userId: user.id, sessionId, detail: { codesLeft: left } });
  if (!user.email) return;
  // The account's language (profile), else the browser's.
  const locale = recipientLocale(c, { locale: (user as { locale?: string | null }).locale ?? null });
  c.executionCtx.waitUntil(
    sendMessage(c.env, "email", user.email, recoveryCodeUsedEmail(config(c.env), locale, { ...deviceInfo(c.req.raw), at: clock.now() }, left)),
  );
}

// ---------------------------------------------------------------------------
const OptionsBody = z.object({ mfaToken: z.optional(mfaToken) });
describeRoute(mfaSignInRoutes, {
  body: OptionsBody,
  summary:
    "Request options for navigator.credentials.get (PublicKeyCredentialRequestOptionsJSON): discoverable credentials (also for autofill / conditional UI), user verification required, challenge single use for 5 minutes. With the mfaToken of a pending sign-in: that user's passkeys, for the second step.",
  responses: { 200: "Request options", 401: "mfa_token_invalid" },
});
mfaSignInRoutes.post("/passkey/options", jsonBody(OptionsBody), async (c) => {
  const { mfaToken } = c.req.valid("json");
  await enforceRateLimit(c, "auth.passkey");
  let userId: string | null = null;
  if (mfaToken) {
    userId = await pendingUserOf(c, mfaToken);
    if (!userId) throw new ApiError("mfa_token_invalid");
  }
  c.header("cache-control", "no-store");
  return c.json(await authenticationOptions(c.env, userId));
});

/** Whose second step this mfaToken (from this browser) is, without spending an attempt. */
const pendingUserOf = (c: Context<AppEnv>, token: string) => peekMfaChallenge(c.env, token, readMfaBinding(c));

// ---------------------------------------------------------------------------
const PasskeyBody = z.object({ credential: f.passkeyAssertion });
describeRoute(mfaSignInRoutes, {
  body: PasskeyBody,
  summary: "Sign in with a passkey alone (a discoverable credential with user verification: two factors in one). Same tokens and cookies as /api/auth/login.",
  responses: { 200: { description: "Signed in", schema: TokenBody }, 400: "passkey_invalid" },
});
mfaSignInRoutes.post("/passkey/verify", jsonBody(PasskeyBody), async (c) => {
  const { credential } = c.req.valid("json");
  await enforceRateLimit(c, "auth.passkey");
  const binding = mfaBindingFor(c);
  const result = await signInWithPasskey(c.env, credential, { device: deviceInfo(c.req.raw), binding, defer: (work) => c.executionCtx.waitUntil(work) });
  if (!result.ok) throw new ApiError("passkey_invalid", { cause: result.cause });
  return respondToFirstFactor(c, result, "passkey", binding);
});
