// Two-step verification of the signed-in user: set up an authenticator app (TOTP), confirm
// it (and receive recovery codes, shown once), turn it off, make new recovery codes.
// Turning it off and new codes need a recent sign-in (requireRecentAuth), and so does the
// set-up: a stolen access token must not be able to plant the thief's authenticator.
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { Hono } from "hono";
import { renderSVG } from "uqr";
import * as z from "zod/mini";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { newRecoveryCodes } from "../auth/recovery-codes";
import { open, seal } from "../auth/secret-box";
import { acceptTotp, newTotpSecret, totpUri } from "../auth/totp";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireRecentAuth, requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { confirmTotp, deleteTotp, findTotp, replaceRecoveryCodes, savePendingTotp, secondFactorsOf } from "../storage/second-factors";
import { findUserById } from "../storage/users";
import { tellOwner } from "./sign-in-method-events";
import type { MfaStatus, RecoveryCodes, TotpSetup } from "../contract/me";

export const meMfaRoutes = new Hono<AppEnv>();
describeRoutes(meMfaRoutes, { tags: ["Second factors and passkeys"], auth: "bearer" });

// ---------------------------------------------------------------------------
const StatusBody = z.object({ totp: z.boolean(), passkeys: z.number(), recoveryCodesLeft: z.number() });
describeRoute(meMfaRoutes, {
  summary: "Which second factors the account has. Two-step verification is on when `totp` is true.",
  responses: { 200: { description: "Second factors", schema: StatusBody } },
});
meMfaRoutes.get("/", requireUser(), async (c) => {
  await enforceRateLimit(c, "me.mfa", { account: c.get("userId") });
  c.header("cache-control", "no-store");
  return c.json((await secondFactorsOf(c.env, c.get("userId")!)) satisfies MfaStatus);
});

// ---------------------------------------------------------------------------
const SetupBody = z.object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() });
describeRoute(meMfaRoutes, {
  summary:
    "Start setting up an authenticator app: a new secret (base32), its otpauth:// URI and a QR code (SVG). Pending until confirmed; needs a recent sign-in.",
  responses: { 200: { description: "The secret to scan or type", schema: SetupBody }, 403: "reauthentication_required", 409: "mfa_already_enabled" },
});
meMfaRoutes.post("/totp/setup", requireUser(), requireRecentAuth(), async (c) => {
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.mfa", { account: userId });
  const user = await findUserById(c.env, userId);
  if (!user) throw new ApiError("invalid_token");
  const secret = newTotpSecret();
  if (!(await savePendingTotp(c.env, userId, await seal(c.env, secret, userId)))) throw new ApiError("mfa_already_enabled");
  const otpauthUri = totpUri(config(c.env).appName, user.email ?? user.name ?? userId, secret);
  c.header("cache-control", "no-store");
  return c.json({ secret: encodeBase32UpperCaseNoPadding(secret), otpauthUri, qrSvg: renderSVG(otpauthUri) } satisfies TotpSetup);
});

// ---------------------------------------------------------------------------
const CodeBody = z.object({ code: f.code });
const RecoveryCodesBody = z.object({ recoveryCodes: z.array(z.string()) });
describeRoute(meMfaRoutes, {
  body: CodeBody,
  summary:
    "Confirm the authenticator app with its current code: two-step verification is on, and the 10 recovery codes are returned (shown once, never again).",
  responses: {
    200: { description: "Recovery codes", schema: RecoveryCodesBody },
    400: "invalid_code",
    409: "mfa_already_enabled or nothing pending (conflict)",
  },
});
meMfaRoutes.post("/totp/confirm", requireUser({ checkSession: true }), jsonBody(CodeBody), async (c) => {
  const { code } = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.mfa", { account: userId });
  const totp = await findTotp(c.env, userId);
  if (totp?.confirmedAt) throw new ApiError("mfa_already_enabled");
  if (!totp) throw new ApiError("conflict", { detail: "Start with POST /api/me/mfa/totp/setup." });
  const secret = await open(c.env, totp.secretCiphertext, userId);
  if (!secret || !(await acceptTotp(c.env, userId, secret, code))) throw new ApiError("invalid_code");
  const { codes, hashes } = newRecoveryCodes(userId);
  if (!(await confirmTotp(c.env, userId, totp.secretCiphertext, hashes)))
    throw new ApiError("conflict", { detail: "The set-up changed meanwhile. Start again." });
  audit(c, { type: "mfa.totp_enabled", userId, sessionId: c.get("sessionId") });
  await tellOwner(c, userId, { type: "two_step_on" });
  c.header("cache-control", "no-store");
  return c.json({ recoveryCodes: codes } satisfies RecoveryCodes);
});

// ---------------------------------------------------------------------------
describeRoute(meMfaRoutes, {
  summary: "Turn two-step verification off (the authenticator app and the recovery codes). Needs a recent sign-in.",
  responses: { 204: "Turned off", 403: "reauthentication_required", 409: "mfa_not_enabled" },
});
meMfaRoutes.delete("/totp", requireUser(), requireRecentAuth(), async (c) => {
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.mfa", { account: userId });
  if (!(await deleteTotp(c.env, userId))) throw new ApiError("mfa_not_enabled");
  audit(c, { type: "mfa.totp_disabled", userId, sessionId: c.get("sessionId") });
  await tellOwner(c, userId, { type: "two_step_off" });
  return c.body(null, 204);
});

// ---------------------------------------------------------------------------
describeRoute(meMfaRoutes, {
  summary: "A new set of 10 recovery codes; every earlier code stops working. Needs a recent sign-in.",
  responses: { 200: { description: "Recovery codes", schema: RecoveryCodesBody }, 403: "reauthentication_required", 409: "mfa_not_enabled" },
});
meMfaRoutes.post("/recovery-codes", requireUser(), requireRecentAuth(), async (c) => {
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.mfa", { account: userId });
  if (!(await secondFactorsOf(c.env, userId)).totp) throw new ApiError("mfa_not_enabled");
  const { codes, hashes } = newRecoveryCodes(userId);
  await replaceRecoveryCodes(c.env, userId, hashes);
  audit(c, { type: "mfa.recovery_codes_regenerated", userId, sessionId: c.get("sessionId") });
  await tellOwner(c, userId, { type: "recovery_codes_new" });
  c.header("cache-control", "no-store");
  return c.json({ recoveryCodes: codes } satisfies RecoveryCodes);
});
