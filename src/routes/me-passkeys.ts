// The signed-in user's passkeys: registration options, register, list, rename, remove.
// Adding and removing need a recent sign-in (requireRecentAuth): a passkey is a way to
// sign in, and a stolen access token must not be able to plant or remove one.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { registerPasskey, registrationOptions } from "../auth/passkeys";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireRecentAuth, requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { ID } from "../model/ids";
import { deletePasskey, listPasskeys, renamePasskey } from "../storage/passkeys";
import type { Passkey } from "../storage/schema";
import { findUserById } from "../storage/users";
import { tellOwner } from "./sign-in-method-events";
import type { Passkey as PasskeyBody, PasskeysResponse } from "../contract/me";
import { iso } from "../model/time";

export const mePasskeyRoutes = new Hono<AppEnv>();
describeRoutes(mePasskeyRoutes, { tags: ["Second factors and passkeys"], auth: "bearer" });

const PasskeyItem = z.object({
  id: z.string(),
  name: z.string(),
  deviceType: z.string(),
  backedUp: z.boolean(),
  transports: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.nullable(z.string()),
});
const publicPasskey = (p: Passkey) => ({
  id: p.id,
  name: p.name,
  deviceType: p.deviceType,
  backedUp: p.backedUp,
  transports: p.transports ? (JSON.parse(p.transports) as string[]) : [],
  createdAt: iso(p.createdAt)!,
  lastUsedAt: iso(p.lastUsedAt),
});

// ---------------------------------------------------------------------------
const OptionsBody = z.object({ name: z.optional(f.passkeyName) });
describeRoute(mePasskeyRoutes, {
  body: OptionsBody,
  summary:
    "Creation options for navigator.credentials.create (PublicKeyCredentialCreationOptionsJSON): discoverable, user verification required, attestation none. The challenge is single use for 5 minutes. Needs a recent sign-in.",
  responses: { 200: "Creation options", 403: "reauthentication_required" },
});
mePasskeyRoutes.post("/options", requireUser(), requireRecentAuth(), jsonBody(OptionsBody), async (c) => {
  const { name } = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.mfa", { account: userId });
  const user = await findUserById(c.env, userId);
  if (!user) throw new ApiError("invalid_token");
  c.header("cache-control", "no-store");
  return c.json(await registrationOptions(c.env, user, name ?? null));
});

// ---------------------------------------------------------------------------
const RegisterBody = z.object({ credential: f.passkeyRegistration, name: z.optional(f.passkeyName) });
describeRoute(mePasskeyRoutes, {
  body: RegisterBody,
  summary:
    "Register the passkey the browser created (PublicKeyCredential.toJSON()) against the challenge from /api/me/passkeys/options. Needs a recent sign-in.",
  responses: {
    201: { description: "The stored passkey", schema: PasskeyItem },
    400: "passkey_invalid",
    403: "reauthentication_required",
    409: "conflict (already registered, or 20 passkeys)",
  },
});
mePasskeyRoutes.post("/", requireUser(), requireRecentAuth(), jsonBody(RegisterBody), async (c) => {
  const { credential, name } = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.mfa", { account: userId });
  const result = await registerPasskey(c.env, userId, credential, "Passkey");
  if (!result.ok) {
    if (result.reason === "invalid") throw new ApiError("passkey_invalid", { cause: result.detail });
    throw new ApiError("conflict", {
      detail: result.reason === "too_many" ? "An account can have at most 20 passkeys." : "This passkey is already registered.",
    });
  }
  const passkey = name ? ((await renamePasskey(c.env, userId, result.passkey.id, name)) ?? result.passkey) : result.passkey;
  audit(c, { type: "passkey.added", userId, sessionId: c.get("sessionId"), detail: { passkeyId: passkey.id, deviceType: passkey.deviceType } });
  await tellOwner(c, userId, { type: "passkey_added", name: passkey.name });
  c.header("cache-control", "no-store");
  return c.json(publicPasskey(passkey) satisfies PasskeyBody, 201);
});

// ---------------------------------------------------------------------------
describeRoute(mePasskeyRoutes, {
  summary: "The user's passkeys: name, device type (single_device / multi_device = synced), created, last used.",
  responses: { 200: { description: "Passkeys", schema: z.object({ passkeys: z.array(PasskeyItem) }) } },
});
mePasskeyRoutes.get("/", requireUser(), async (c) => {
  await enforceRateLimit(c, "me.mfa", { account: c.get("userId") });
  c.header("cache-control", "no-store");
  return c.json({ passkeys: (await listPasskeys(c.env, c.get("userId")!)).map(publicPasskey) } satisfies PasskeysResponse);
});

// ---------------------------------------------------------------------------
const RenameBody = z.object({ name: f.passkeyName });
describeRoute(mePasskeyRoutes, {
  body: RenameBody,
  summary: "Rename a passkey.",
  responses: { 200: { description: "The passkey", schema: PasskeyItem }, 404: "not_found" },
});
mePasskeyRoutes.patch("/:id", requireUser(), jsonBody(RenameBody), async (c) => {
  const { name } = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.mfa", { account: userId });
  const id = c.req.param("id");
  const passkey = ID.record.test(id) ? await renamePasskey(c.env, userId, id, name) : null;
  if (!passkey) throw new ApiError("not_found", { detail: "No passkey with that id." });
  audit(c, { type: "passkey.renamed", userId, sessionId: c.get("sessionId"), detail: { passkeyId: id } });
  return c.json(publicPasskey(passkey) satisfies PasskeyBody);
});

describeRoute(mePasskeyRoutes, {
  summary: "Remove a passkey. Needs a recent sign-in.",
  responses: { 204: "Removed", 403: "reauthentication_required", 404: "not_found" },
});
mePasskeyRoutes.delete("/:id", requireUser(), requireRecentAuth(), async (c) => {
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.mfa", { account: userId });
  const id = c.req.param("id");
  const removed = ID.record.test(id) ? await deletePasskey(c.env, userId, id) : null;
  if (!removed) throw new ApiError("not_found", { detail: "No passkey with that id." });
  audit(c, { type: "passkey.removed", userId, sessionId: c.get("sessionId"), detail: { passkeyId: id } });
  await tellOwner(c, userId, { type: "passkey_removed", name: removed.name });
  return c.body(null, 204);
});
