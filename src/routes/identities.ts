// The signed-in user's linked sign-in providers: list, link another, unlink one.
import { Hono } from "hono";
import * as z from "zod/mini";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { deviceInfo } from "../auth/device";
import { needsPhoneVerification } from "../auth/oauth/accounts";
import { findProvider } from "../auth/oauth/providers";
import { safeReturnTo } from "../auth/oauth/return-to";
import { beginOAuth } from "../auth/oauth/transaction";
import { enforceRateLimit } from "../guard/rate-limit";
import { requireUser } from "../http/guards";
import { readOAuthBindingCookie, setOAuthBindingCookie } from "../http/oauth-cookie";
import { describeRoute } from "../http/openapi";
import { jsonBody } from "../http/validate";
import { recordAuditEvent } from "../storage/audit";
import { deleteIdentityUnlessLast, listIdentities } from "../storage/identities";
import { getPasswordHash } from "../storage/users";
import { ID } from "../model/ids";

export const identityRoutes = new Hono<AppEnv>();
const tags = ["Account"];

// ---------------------------------------------------------------------------
const IdentityItem = z.object({ id: z.string(), provider: z.string(), email: z.nullable(z.string()), emailVerified: z.boolean(), createdAt: z.string(), lastUsedAt: z.nullable(z.string()) });
const IdentitiesBody = z.object({ identities: z.array(IdentityItem), hasPassword: z.boolean(), phoneVerificationRequired: z.boolean() });
describeRoute({
  method: "get", path: "/api/me/identities", tags, auth: "bearer",
  summary: "Linked sign-in providers (and phones), whether a password is set, and whether phone verification is still required.",
  responses: { 200: { description: "Linked identities", schema: IdentitiesBody } },
});
identityRoutes.get("/", requireUser(), async (c) => {
  const userId = c.get("userId")!;
  const [rows, hash, phoneRequired] = await Promise.all([listIdentities(c.env, userId), getPasswordHash(c.env, userId), needsPhoneVerification(c.env, userId, config(c.env).oauthRequirePhone)]);
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
  });
});

// ---------------------------------------------------------------------------
const LinkBody = z.object({ returnTo: z.optional(z.string().check(z.maxLength(512))) });
const LinkResponse = z.object({ authorizationUrl: z.string() });
describeRoute({
  method: "post", path: "/api/me/identities/:provider", tags, auth: "bearer", body: LinkBody,
  summary: "Start linking a provider: returns the provider URL to navigate to (the browser-binding cookie is set by this response). The callback lands on /oauth/done?linked=<provider>.",
  responses: { 200: { description: "Navigate the browser here", schema: LinkResponse }, 404: "provider_not_configured" },
});
identityRoutes.post("/:provider", requireUser({ checkSession: true }), jsonBody(LinkBody), async (c) => {
  const userId = c.get("userId")!;
  const provider = findProvider(c.env, c.req.param("provider"));
  if (!provider) throw new ApiError("provider_not_configured");
  const returnTo = safeReturnTo(c.req.valid("json").returnTo, config(c.env).origin);
  if (returnTo === null) throw new ApiError("validation_failed", { errors: [{ path: "returnTo", message: "Must be a path on this site, like /account." }] });
  await enforceRateLimit(c, "me.identities", { account: userId });
  const started = await beginOAuth(c.env, provider, { returnTo, mode: "link", userId, binding: readOAuthBindingCookie(c) });
  if (!started) throw new ApiError("service_unavailable", { detail: `${provider.label} cannot be reached right now. Try again later.` });
  setOAuthBindingCookie(c, started.binding);
  c.header("cache-control", "no-store");
  return c.json({ authorizationUrl: started.url.toString() });
});

// ---------------------------------------------------------------------------
describeRoute({
  method: "delete", path: "/api/me/identities/:id", tags, auth: "bearer",
  summary: "Unlink a provider. Refused with 409 last_sign_in_method when no password or other identity would remain.",
  responses: { 204: "Unlinked", 404: "not_found", 409: "last_sign_in_method" },
});
identityRoutes.delete("/:id", requireUser({ checkSession: true }), async (c) => {
  const userId = c.get("userId")!;
  const id = c.req.param("id");
  // Identity ids are UUIDs here; other helpers may use base64url ids (phones).
  if (!ID.record.test(id)) throw new ApiError("not_found");
  await enforceRateLimit(c, "me.identities", { account: userId });
  const result = await deleteIdentityUnlessLast(c.env, userId, id);
  if (result === "not_found") throw new ApiError("not_found");
  if (result === "last") throw new ApiError("last_sign_in_method");
  await recordAuditEvent(c.env, { type: "identity.unlinked", userId, sessionId: c.get("sessionId"), device: deviceInfo(c.req.raw), detail: { identityId: id } });
  return c.body(null, 204);
});
