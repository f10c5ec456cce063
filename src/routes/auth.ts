// Email + password accounts: register, verify email, sign in, refresh, sign out.
// Handlers read top to bottom: validate, check, call the domain, respond.
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { deviceInfo } from "../auth/device";
import { sendRegistrationCode, startRegistration, verifyRegistration, type VerifyRegistrationResult } from "../auth/registration";
import { hashPassword } from "../auth/password-hash";
import { checkNewPassword, hashConfig, newPasswordError } from "../auth/passwords";
import { endSessionByRefreshToken, rotateRefreshToken } from "../auth/session";
import { signInWithPassword } from "../auth/password-sign-in";
import { enforceRateLimit } from "../guard/rate-limit";
import { refuseIfRecentlyLimited } from "../guard/refused-clients";
import { audit } from "../http/audit";
import { codeRefusal } from "../http/code-refusal";
import { clearRefreshCookie, readRefreshCookie } from "../http/cookies";
import { mfaBindingFor } from "../http/mfa-cookie";
import { describeRoute, describeRoutes } from "../http/openapi";
import { accepted, type RefreshTransport, tokenResponse } from "../http/respond";
import * as f from "../http/schemas";
import { recipientLocale, requestLocale } from "../http/locale";
import { jsonBody, parseOrThrow, readJsonBody } from "../http/validate";
import { deactivatedError } from "./sign-in-lifecycle";
import { refuseUnlessOpenRegistration } from "../auth/registration-mode";
import { registerThroughInvitation } from "./invitation-register";
import { passwordSignInError } from "./sign-in-events";
import { respondToFirstFactor } from "./sign-in-response";
import { ID } from "../model/ids";
import { readRegistration } from "../storage/registrations";
import { findUserByEmail, normalizeEmail } from "../storage/users";
import type { Registered } from "../contract/auth";

export const authRoutes = new Hono<AppEnv>();
describeRoutes(authRoutes, { tags: ["Sign-up and sign-in"] });

const TokenBody = z.object({ accessToken: z.string(), tokenType: z.literal("Bearer"), expiresIn: z.number(), refreshToken: z.optional(z.string()) });

// ---------------------------------------------------------------------------
// Registration waits for its own code (src/auth/registration.ts): the 202 carries a
// registrationToken, and verify-email / resend-verification act on that registration only.
// With `invitationToken` it is registration through an invitation instead
// (./invitation-register.ts): the link proved the mailbox, so 201 with tokens at once.
const registrationToken = z.string().check(z.regex(ID.token256, "The registration token is not valid."));
const RegisterBody = z.object({ email: f.email, password: f.password, name: z.optional(f.name), invitationToken: z.optional(f.linkToken) });
const RegisteredBody = z.object({ status: z.literal("accepted"), message: z.string(), registrationToken: z.string() });
describeRoute(authRoutes, {
  body: RegisterBody,
  summary:
    "Start a registration. The same 202 (with a registrationToken) whether or not the email is taken: a free address gets a code and link, an existing owner a notice. The password takes effect only when this registration's own code is redeemed. With `invitationToken` (the invited email): 201 with tokens, the account verified and joined.",
  responses: {
    201: "Registered through an invitation: verified, joined and signed in",
    202: { description: "Accepted: keep the registrationToken for verify-email and resend-verification", schema: RegisteredBody },
    403: "registration_invite_only or invitation_email_mismatch",
  },
});
authRoutes.post("/register", jsonBody(RegisterBody), async (c) => {
  const body = c.req.valid("json");
  if (body.invitationToken) return registerThroughInvitation(c, { ...body, invitationToken: body.invitationToken });
  refuseUnlessOpenRegistration(c.env);
  const { email, password, name } = body;
  const target = normalizeEmail(email);
  await enforceRateLimit(c, "auth.register", { target });
  const policy = await checkNewPassword(c.env, password, { email });
  if (!policy.ok) throw newPasswordError(policy);
  // The same work for a taken and a free address: one D1 read, one hash, one pending
  // record, one challenge. Nothing is written onto any account.
  const owner = await findUserByEmail(c.env, target);
  const passwordHash = await hashPassword(policy.password, hashConfig(c.env));
  const registration = await startRegistration(c.env, { email: target, name: name || null, passwordHash });
  // Only a VERIFIED owner makes the address taken: an unverified legacy row proves nothing
  // and is released when this registrant redeems their code.
  const taken = owner?.emailVerifiedAt != null;
  // The notice goes to the existing owner, in their language; the code in the registrant's.
  c.executionCtx.waitUntil(sendRegistrationCode(c.env, registration, taken ? "notice" : "code", taken ? recipientLocale(c, owner) : requestLocale(c)));
  c.header("cache-control", "no-store");
  return c.json(
    { status: "accepted", message: "If the address can receive mail, a message is on its way.", registrationToken: registration.token } satisfies Registered,
    202,
  );
});

// ---------------------------------------------------------------------------
const VerifyEmailBody = z.union([z.object({ registrationToken, code: f.code }), z.object({ registrationToken, token: f.linkToken })]);
describeRoute(authRoutes, {
  body: VerifyEmailBody,
  summary:
    "Finish a registration with its emailed 6-digit code or link token (plus the registrationToken from /register): creates the verified account with that registration's password, and signs in.",
  responses: {
    200: { description: "Verified and signed in", schema: TokenBody },
    400: "invalid_code or code_expired",
    404: "registration_not_found",
    409: "conflict: a verified account took the address meanwhile",
    429: "too_many_attempts",
  },
});
authRoutes.post("/verify-email", jsonBody(VerifyEmailBody), async (c) => {
  const body = c.req.valid("json");
  // The account is created here: a registration started before invite-only mode began stops too.
  refuseUnlessOpenRegistration(c.env);
  await enforceRateLimit(c, "auth.verify-email");
  const binding = mfaBindingFor(c);
  const result = await verifyRegistration(c.env, body, { device: deviceInfo(c.req.raw), binding, defer: (work) => c.executionCtx.waitUntil(work) });
  if (!result.ok) throw await verifyEmailError(c, result);
  audit(c, { type: "email.verified", userId: result.user.id, sessionId: "session" in result ? result.session.sessionId : null });
  return respondToFirstFactor(c, result, "email_verification", binding);
});

async function verifyEmailError(c: Context<AppEnv>, result: Extract<VerifyRegistrationResult, { ok: false }>): Promise<ApiError> {
  if (result.reason === "code_refused") return codeRefusal(c, result.failure);
  if (result.reason === "registration_not_found") return new ApiError("registration_not_found");
  return new ApiError("conflict", { detail: "This email already has an account. Sign in instead." });
}

// ---------------------------------------------------------------------------
const ResendBody = z.object({ registrationToken });
describeRoute(authRoutes, {
  body: ResendBody,
  summary: "Send this registration's code again (a new code replaces only its own earlier one). 202, or 404 once the registration has expired.",
  responses: { 202: "Accepted", 404: "registration_not_found" },
});
authRoutes.post("/resend-verification", jsonBody(ResendBody), async (c) => {
  const { registrationToken: token } = c.req.valid("json");
  const record = await readRegistration(c.env, token);
  await enforceRateLimit(c, "auth.resend-verification", { target: record?.email });
  if (!record) throw new ApiError("registration_not_found");
  const owner = await findUserByEmail(c.env, record.email);
  // A taken address gets a fresh challenge nobody receives (not another notice).
  c.executionCtx.waitUntil(sendRegistrationCode(c.env, { token, record }, owner?.emailVerifiedAt != null ? "none" : "code", requestLocale(c)));
  return accepted(c);
});

// ---------------------------------------------------------------------------
// One object rather than a union, so a bad field is named in the 400 (a union only says "(body)").
const LoginBody = z
  .object({ email: z.optional(f.email), username: z.optional(f.username), password: f.password })
  .check(z.refine((b) => (b.email === undefined) !== (b.username === undefined), { message: "Send either email or username.", path: ["email"] }));
describeRoute(authRoutes, {
  body: LoginBody,
  summary: "Sign in with email (or username) and password. Send `X-Token-Transport: body` to get the refresh token in the body instead of a cookie.",
  responses: {
    200: { description: "Signed in", schema: TokenBody },
    401: "invalid_credentials",
    403: "email_not_verified, or account_deactivated (with a reactivationToken)",
    429: "rate_limited (per IP) or sign_in_throttled (per account, with Retry-After)",
  },
});
authRoutes.post("/login", jsonBody(LoginBody), async (c) => {
  const body = c.req.valid("json");
  await enforceRateLimit(c, "auth.login");
  const binding = mfaBindingFor(c);
  const result = await signInWithPassword(c.env, body, { device: deviceInfo(c.req.raw), binding, defer: (work) => c.executionCtx.waitUntil(work) });
  // Only after the right password: "deactivated, reactivate?" with a token (README "Deactivation").
  if (!result.ok) throw result.reason === "deactivated" ? deactivatedError(c, result) : passwordSignInError(c, result);
  return respondToFirstFactor(c, result, "password", binding);
});

// ---------------------------------------------------------------------------
const RefreshBody = z.object({ refreshToken: z.optional(f.refreshTokenField) });
describeRoute(authRoutes, {
  body: RefreshBody,
  auth: "refresh-cookie",
  summary:
    "Exchange the refresh token (cookie, or `refreshToken` in the body) for a new access token; the refresh token rotates and comes back the way it was sent (cookie or body), whatever X-Token-Transport says.",
  responses: { 200: { description: "New tokens", schema: TokenBody }, 401: "invalid_token, token_reused or session_ended" },
});
authRoutes.post("/refresh", async (c) => {
  // Only refreshes that fail are charged (src/guard/rate-limit.ts says why); a client over
  // that limit is refused here, before its token reaches a session object.
  refuseIfRecentlyLimited(c, "auth.refresh");
  const presented = await presentedRefreshToken(c);
  if (!presented) {
    await enforceRateLimit(c, "auth.refresh");
    throw new ApiError("invalid_token", { detail: "No refresh token was sent." });
  }
  const outcome = await rotateRefreshToken(c.env, presented.token);
  if (!outcome.ok) {
    clearRefreshCookie(c);
    if (outcome.reason === "reused") audit(c, { type: "refresh_token.reused", userId: outcome.userId, sessionId: outcome.sessionId, reason: "session_ended" });
    await enforceRateLimit(c, "auth.refresh");
    if (outcome.reason === "reused") throw new ApiError("token_reused");
    if (outcome.reason === "invalid") throw new ApiError("invalid_token");
    throw new ApiError("session_ended");
  }
  return tokenResponse(c, outcome.tokens, {}, 200, presented.from);
});

/** Cookie first; otherwise a JSON body `{refreshToken}` (an empty body is fine). */
async function presentedRefreshToken(c: Context<AppEnv>): Promise<{ token: string; from: RefreshTransport } | undefined> {
  const cookie = readRefreshCookie(c);
  if (cookie) return { token: cookie, from: "cookie" };
  const body = await readJsonBody(c, { optional: true });
  const token = body === undefined ? undefined : parseOrThrow(RefreshBody, body).refreshToken;
  return token ? { token, from: "body" } : undefined;
}

// ---------------------------------------------------------------------------
describeRoute(authRoutes, {
  body: RefreshBody,
  auth: "refresh-cookie",
  summary: "Sign out: ends the session on the server and clears the cookie. Always 204.",
  responses: { 204: "Signed out" },
});
authRoutes.post("/logout", async (c) => {
  const presented = await presentedRefreshToken(c);
  const ended = presented ? await endSessionByRefreshToken(c.env, presented.token) : null;
  if (ended) audit(c, { type: "sign_out", userId: ended.userId, sessionId: ended.sessionId });
  clearRefreshCookie(c);
  c.header("cache-control", "no-store");
  return c.body(null, 204);
});
