// The signed-in user's linked sign-in providers: list, link another, unlink one. Linking
// and unlinking change how the account can be signed in to, so both need a fresh sign-in
// (requireRecentAuth) and the owner is told by email.
import { Hono } from "hono";
import * as z from "zod/mini";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { needsPhoneVerification } from "../auth/oauth/accounts";
import { findProvider, providerLabel } from "../auth/oauth/providers";
import { safeReturnTo } from "../auth/oauth/return-to";
import { beginOAuth } from "../auth/oauth/transaction";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireRecentAuth, requireUser } from "../http/guards";
import { setOAuthBindingCookie } from "../http/oauth-cookie";
import { describeRoute, describeRoutes } from "../http/openapi";
import { jsonBody } from "../http/validate";
import { deleteIdentityUnlessLast, listIdentities } from "../storage/identities";
import { findUserById, getPasswordHash } from "../storage/users";
import { ID } from "../model/ids";
import { tellOwnerOfMethodChange } from "./sign-in-method-events";
import type { IdentitiesResponse, LinkStarted } from "../contract/me";

export const identityRoutes = new Hono<AppEnv>();
describeRoutes(identityRoutes, { tags: ["Account"], auth: "bearer" });

// ---------------------------------------------------------------------------
const IdentityItem = z.object({
  id: z.string(),
  provider: z.string(),
  email: z.nullable(z.string()),
  emailVerified: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.nullable(z.string()),
});
const IdentitiesBody = z.object({ identities: z.array(IdentityItem), hasPassword: z.boolean(), phoneVerificationRequired: z.boolean() });
describeRoute(identityRoutes, {
  summary: "Linked sign-in providers (and phones), whether a password is set, and whether phone verification is still required.",
  responses: { 200: { description: "Linked identities", schema: IdentitiesBody } },
});
identityRoutes.get("/", requireUser(), async (c) => {
  const userId = c.get("userId")!;
  const [rows, hash, phoneRequired] = await Promise.all([
    listIdentities(c.env, userId),
    getPasswordHash(c.env, userId),
    needsPhoneVerification(c.env, userId, config(c.env).oauthRequirePhone),
  ]);
  c.header("cache-control", "no-store");
  return c.json({
    identities: rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      email: r.email,
      emailVerified: r.emailVerified,
      createdAt: new Date(r.createdAt).toISOString(),
      lastUsedAt: r.lastUsedAt ? new Date(r.lastUsedAt).toISOString() : null,
    })),
    hasPassword: hash !== null,
    phoneVerificationRequired: phoneRequired,
  } satisfies IdentitiesResponse);
});

// ---------------------------------------------------------------------------
const LinkBody = z.object({ returnTo: z.optional(z.string().check(z.maxLength(512))) });
const LinkResponse = z.object({ authorizationUrl: z.string() });
describeRoute(identityRoutes, {
  body: LinkBody,
  summary:
    "Start linking a provider: returns the provider URL to navigate to (the browser-binding cookie is set by this response). Needs a sign-in within REAUTH_WINDOW_SECONDS; the link is bound to this session, so it fails if the session ends first. The callback lands on /oauth/done?linked=<provider>.",
  responses: { 200: { description: "Navigate the browser here", schema: LinkResponse }, 403: "reauthentication_required", 404: "provider_not_configured" },
});
identityRoutes.post("/:provider", requireUser(), requireRecentAuth(), jsonBody(LinkBody), async (c) => {
  const userId = c.get("userId")!;
  const provider = findProvider(c.env, c.req.param("provider"));
  if (!provider) throw new ApiError("provider_not_configured");
  const returnTo = safeReturnTo(c.req.valid("json").returnTo, config(c.env).origin);
  if (returnTo === null) throw new ApiError("validation_failed", { errors: [{ path: "returnTo", message: "Must be a path on this site, like /account." }] });
  await enforceRateLimit(c, "me.identities", { account: userId });
  const started = await beginOAuth(c.env, provider, { returnTo, mode: "link", userId, sessionId: c.get("sessionId")! });
  if (!started) throw new ApiError("service_unavailable", { detail: `${provider.label} cannot be reached right now. Try again later.` });
  setOAuthBindingCookie(c, started.binding);
  c.header("cache-control", "no-store");
  return c.json({ authorizationUrl: started.url.toString() } satisfies LinkStarted);
});

// ---------------------------------------------------------------------------
describeRoute(identityRoutes, {
  summary:
    "Unlink a provider (or the phone). Needs a sign-in within REAUTH_WINDOW_SECONDS. Refused with 409 last_sign_in_method when no password or other identity would remain.",
  responses: { 204: "Unlinked", 403: "reauthentication_required", 404: "not_found", 409: "last_sign_in_method" },
});
identityRoutes.delete("/:id", requireUser(), requireRecentAuth(), async (c) => {
  const userId = c.get("userId")!;
  const id = c.req.param("id");
  // Identity ids are UUIDs here; other helpers may use base64url ids (phones).
  if (!ID.record.test(id)) throw new ApiError("not_found");
  await enforceRateLimit(c, "me.identities", { account: userId });
  // Read before the delete: once the identity is gone, nothing may fail the request.
  const owner = await findUserById(c.env, userId);
  const result = await deleteIdentityUnlessLast(c.env, userId, id);
  if (!result.ok) throw new ApiError(result.reason === "last" ? "last_sign_in_method" : "not_found");
  audit(c, { type: "identity.unlinked", userId, sessionId: c.get("sessionId"), detail: { identityId: id, provider: result.provider } });
  if (owner) {
    const change =
      result.provider === "phone"
        ? { type: "phone_removed" as const, phone: result.subject }
        : { type: "provider_unlinked" as const, provider: providerLabel(c.env, result.provider) };
    tellOwnerOfMethodChange(c, owner, change);
  }
  return c.body(null, 204);
});
