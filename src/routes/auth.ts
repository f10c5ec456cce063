// Email + password accounts: register, verify email, sign in, refresh, sign out.
// Handlers read top to bottom: validate, check, call the domain, respond.
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { clock } from "../clock";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { deviceInfo } from "../auth/device";
import { redeemCode, redeemLinkToken, issueCode } from "../auth/one-time-code";
import { findPasswordAccount } from "../auth/password-account";
import { burnPasswordHash, hashPassword, verifyPasswordHash } from "../auth/password-hash";
import { checkNewPassword, hashConfig, newPasswordError } from "../auth/passwords";
import { randomId } from "../auth/secrets";
import { endSessionByRefreshToken, rotateRefreshToken, startSession } from "../auth/session";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { clearRefreshCookie, readRefreshCookie } from "../http/cookies";
import { describeRoute } from "../http/openapi";
import { accepted, publicUser, tokenResponse } from "../http/respond";
import * as f from "../http/schemas";
import { recipientLocale, requestLocale } from "../http/locale";
import type { Locale } from "../messages/message";
import { jsonBody, parseOrThrow, readJsonBody } from "../http/validate";
import { sendMessage } from "../messages/outbox";
import { accountExistsEmail, verificationEmail } from "../messages/templates";
import { refuseIfDeactivated } from "./sign-in-lifecycle";
import { recordRightPassword, recordSignInFailure, recordSignInSuccess, reserveSignInAttempt } from "./sign-in-events";
import { createUserWithPassword, findUserByEmail, findUserById, markEmailVerified, normalizeEmail, updatePasswordHash } from "../storage/users";

export const authRoutes = new Hono<AppEnv>();

const tags = ["Sign-up and sign-in"];
const TokenBody = z.object({ accessToken: z.string(), tokenType: z.literal("Bearer"), expiresIn: z.number(), refreshToken: z.optional(z.string()) });

// ---------------------------------------------------------------------------
const RegisterBody = z.object({ email: f.email, password: f.password, name: z.optional(f.name) });
describeRoute({
  method: "post", path: "/api/auth/register", tags, body: RegisterBody,
  summary: "Create an account. The same 202 whether or not the email is taken; an existing owner gets a notice instead of a code.",
  responses: { 202: "Accepted: a verification code and link were sent (or a notice to an existing owner)" },
});
authRoutes.post("/register", jsonBody(RegisterBody), async (c) => {
  const { email, password, name } = c.req.valid("json");
  await enforceRateLimit(c, "auth.register", { target: normalizeEmail(email) });
  const cfg = config(c.env);
  // Policy and breach check run before the account lookup: same work whether or not it exists.
  const policy = await checkNewPassword(c.env, password, { email });
  if (!policy.ok) throw newPasswordError(policy);

  const existing = await findUserByEmail(c.env, email);
  if (existing) {
    // Pay for a hash anyway so timing does not tell the two cases apart. The password is
    // NOT applied: that would let anyone pre-set the password of an unverified account.
    await burnPasswordHash(policy.password, hashConfig(c.env));
    c.executionCtx.waitUntil(sendMessage(c.env, "email", existing.email!, accountExistsEmail(cfg, recipientLocale(c, existing))));
    return accepted(c);
  }
  const passwordHash = await hashPassword(policy.password, hashConfig(c.env));
  const user = await createUserWithPassword(c.env, { id: randomId(), email, name: name || null, passwordHash });
  // null: a concurrent registration won the unique index; it sends its own message.
  if (user) c.executionCtx.waitUntil(sendVerification(c.env, user.id, user.email!, requestLocale(c)));
  return accepted(c);
});

async function sendVerification(env: Env, userId: string, email: string, locale: Locale): Promise<void> {
  const { code, token, expiresAt } = await issueCode(env, "verify-email", email, userId);
  await sendMessage(env, "email", email, verificationEmail(config(env), locale, code, token), { userId, expiresAt, locale });
}

// ---------------------------------------------------------------------------
const VerifyEmailBody = z.union([z.object({ email: f.email, code: f.code }), z.object({ token: f.linkToken })]);
describeRoute({
  method: "post", path: "/api/auth/verify-email", tags, body: VerifyEmailBody,
  summary: "Verify the email address with the 6-digit code or the link token, and sign in.",
  responses: { 200: { description: "Verified and signed in", schema: TokenBody } },
});
authRoutes.post("/verify-email", jsonBody(VerifyEmailBody), async (c) => {
  const body = c.req.valid("json");
  await enforceRateLimit(c, "auth.verify-email");
  const result = "token" in body ? await redeemLinkToken(c.env, "verify-email", body.token) : await redeemCode(c.env, "verify-email", normalizeEmail(body.email), body.code);
  if (!result.ok) throw codeError(result.reason);
  const user = result.userId ? await findUserById(c.env, result.userId) : null;
  if (!user || user.email !== result.target || user.disabledAt) throw new ApiError("invalid_code");
  await markEmailVerified(c.env, user.id);
  const tokens = await startSession(c.env, user.id, deviceInfo(c.req.raw), "email_verification");
  if (user.emailVerifiedAt === null) audit(c, { type: "email.verified", userId: user.id, sessionId: tokens.sessionId });
  await recordSignInSuccess(c, user, tokens.sessionId, "email_verification");
  return tokenResponse(c, tokens, { user: publicUser({ ...user, emailVerifiedAt: user.emailVerifiedAt ?? clock.now() }) });
});

export function codeError(reason: "invalid" | "expired" | "too_many_attempts"): ApiError {
  if (reason === "expired") return new ApiError("code_expired");
  if (reason === "too_many_attempts") return new ApiError("too_many_attempts");
  return new ApiError("invalid_code");
}

// ---------------------------------------------------------------------------
const EmailBody = z.object({ email: f.email });
describeRoute({
  method: "post", path: "/api/auth/resend-verification", tags, body: EmailBody,
  summary: "Send a new verification code to an unverified account. Always 202.",
  responses: { 202: "Accepted" },
});
authRoutes.post("/resend-verification", jsonBody(EmailBody), async (c) => {
  const { email } = c.req.valid("json");
  await enforceRateLimit(c, "auth.resend-verification", { target: normalizeEmail(email) });
  const user = await findUserByEmail(c.env, email);
  if (user && user.emailVerifiedAt === null && !user.disabledAt) c.executionCtx.waitUntil(sendVerification(c.env, user.id, user.email!, recipientLocale(c, user)));
  return accepted(c);
});

// ---------------------------------------------------------------------------
// One object rather than a union, so a bad field is named in the 400 (a union only says "(body)").
const LoginBody = z
  .object({ email: z.optional(f.email), username: z.optional(f.username), password: f.password })
  .check(z.refine((b) => (b.email === undefined) !== (b.username === undefined), { message: "Send either email or username.", path: ["email"] }));
describeRoute({
  method: "post", path: "/api/auth/login", tags, body: LoginBody,
  summary: "Sign in with email (or username) and password. Send `X-Token-Transport: body` to get the refresh token in the body instead of a cookie.",
  responses: { 200: { description: "Signed in", schema: TokenBody }, 401: "invalid_credentials", 403: "email_not_verified, or account_deactivated (with a reactivationToken)", 429: "rate_limited (per IP) or sign_in_throttled (per account, with Retry-After)" },
});
authRoutes.post("/login", jsonBody(LoginBody), async (c) => {
  const body = c.req.valid("json");
  await enforceRateLimit(c, "auth.login");
  const { found, throttleKey } = await findPasswordAccount(c.env, body);
  const attempt = await reserveSignInAttempt(c, throttleKey);
  const candidate = body.password.normalize("NFKC");
  if (!found?.passwordHash) {
    await burnPasswordHash(candidate, hashConfig(c.env));
    recordSignInFailure(c, attempt, found?.user ?? null, found ? "no_password" : "unknown_account");
    throw new ApiError("invalid_credentials");
  }
  const check = await verifyPasswordHash(candidate, found.passwordHash, hashConfig(c.env));
  if (!check.ok || found.user.disabledAt) {
    recordSignInFailure(c, attempt, found.user, check.ok ? "disabled" : "bad_password");
    throw new ApiError("invalid_credentials");
  }
  await recordRightPassword(c, throttleKey);
  // Only after the password proved right, so this reveals nothing to a guesser.
  if (found.user.emailVerifiedAt === null) {
    audit(c, { type: "sign_in.failure", userId: found.user.id, reason: "email_not_verified" });
    throw new ApiError("email_not_verified");
  }
  await refuseIfDeactivated(c, found.user, "password");
  if (check.needsRehash) c.executionCtx.waitUntil(hashPassword(candidate, hashConfig(c.env)).then((h) => updatePasswordHash(c.env, found.user.id, h)));

  const tokens = await startSession(c.env, found.user.id, deviceInfo(c.req.raw), "password");
  await recordSignInSuccess(c, found.user, tokens.sessionId, "password");
  return tokenResponse(c, tokens, { user: publicUser(found.user) });
});

// ---------------------------------------------------------------------------
const RefreshBody = z.object({ refreshToken: z.optional(f.refreshTokenField) });
describeRoute({
  method: "post", path: "/api/auth/refresh", tags, body: RefreshBody, auth: "refresh-cookie",
  summary: "Exchange the refresh token (cookie, or `refreshToken` in the body) for a new access token; the refresh token rotates.",
  responses: { 200: { description: "New tokens", schema: TokenBody }, 401: "invalid_token, token_reused or session_ended" },
});
authRoutes.post("/refresh", async (c) => {
  await enforceRateLimit(c, "auth.refresh");
  const refreshToken = await refreshTokenFrom(c);
  if (!refreshToken) throw new ApiError("invalid_token", { detail: "No refresh token was sent." });
  const outcome = await rotateRefreshToken(c.env, refreshToken);
  if (!outcome.ok) {
    clearRefreshCookie(c);
    if (outcome.reason === "reused") {
      audit(c, { type: "refresh_token.reused", userId: outcome.userId, sessionId: outcome.sessionId, reason: "session_ended" });
      throw new ApiError("token_reused");
    }
    if (outcome.reason === "invalid") throw new ApiError("invalid_token");
    throw new ApiError("session_ended");
  }
  return tokenResponse(c, outcome.tokens);
});

/** Cookie first; otherwise a JSON body `{refreshToken}` (an empty body is fine). */
async function refreshTokenFrom(c: Context<AppEnv>): Promise<string | undefined> {
  const cookie = readRefreshCookie(c);
  if (cookie) return cookie;
  const body = await readJsonBody(c, { optional: true });
  return body === undefined ? undefined : parseOrThrow(RefreshBody, body).refreshToken;
}

// ---------------------------------------------------------------------------
describeRoute({
  method: "post", path: "/api/auth/logout", tags, body: RefreshBody, auth: "refresh-cookie",
  summary: "Sign out: ends the session on the server and clears the cookie. Always 204.",
  responses: { 204: "Signed out" },
});
authRoutes.post("/logout", async (c) => {
  const refreshToken = await refreshTokenFrom(c);
  const ended = refreshToken ? await endSessionByRefreshToken(c.env, refreshToken) : null;
  if (ended) audit(c, { type: "sign_out", userId: ended.userId, sessionId: ended.sessionId });
  clearRefreshCookie(c);
  c.header("cache-control", "no-store");
  return c.body(null, 204);
});
