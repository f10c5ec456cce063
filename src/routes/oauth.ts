// Social sign-in: list providers, start (redirect to the provider), finish (callback).
// The callback is a browser navigation, so it never answers with JSON or a 500: every
// outcome is a redirect into the SPA, `/oauth/done?...` or `/oauth/error?code=...`.
import { Hono, type Context } from "hono";
import * as z from "zod/mini";
import { clock } from "../clock";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError, type ErrorCode } from "../errors";
import { deviceInfo } from "../auth/device";
import { finishOAuthCallback, type OAuthCallbackResult } from "../auth/oauth/callback";
import { configuredProviders, findProvider, type OAuthProvider } from "../auth/oauth/providers";
import { safeReturnTo } from "../auth/oauth/return-to";
import { beginOAuth, type CallbackInput } from "../auth/oauth/transaction";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { setRefreshCookie } from "../http/cookies";
import { mfaBindingFor, setMfaBindingCookie } from "../http/mfa-cookie";
import { readOAuthBindingCookie, setOAuthBindingCookie } from "../http/oauth-cookie";
import { requestLocale } from "../http/locale";
import { describeRoute, describeRoutes } from "../http/openapi";
import type { AuditInput } from "../storage/audit";
import { notifyIfNewDevice } from "./sign-in-events";
import type { ProvidersResponse } from "../contract/auth";

export const oauthRoutes = new Hono<AppEnv>();
describeRoutes(oauthRoutes, { tags: ["Social sign-in"] });

// ---------------------------------------------------------------------------
const ProvidersBody = z.object({ providers: z.array(z.object({ id: z.string(), name: z.string(), startUrl: z.string() })) });
describeRoute(oauthRoutes, {
  summary: "The social sign-in providers configured on this deployment (show only these buttons).",
  responses: { 200: { description: "Configured providers", schema: ProvidersBody } },
});
oauthRoutes.get("/providers", (c) => {
  const providers = configuredProviders(c.env).map((p) => ({ id: p.id, name: p.label, startUrl: `/api/auth/oauth/${p.id}` }));
  c.header("cache-control", "no-store");
  return c.json({ providers } satisfies ProvidersResponse);
});

// ---------------------------------------------------------------------------
const StartQuery = z.object({ returnTo: z.optional(z.string()) });
describeRoute(oauthRoutes, {
  query: StartQuery,
  summary: "Start a social sign-in: redirects to the provider. `returnTo` must be a path on this origin.",
  responses: { 302: "Redirect to the provider", 400: "validation_failed (returnTo)", 404: "provider_not_configured" },
});
oauthRoutes.get("/oauth/:provider", async (c) => {
  const provider = findProvider(c.env, c.req.param("provider"));
  if (!provider) throw new ApiError("provider_not_configured");
  const returnTo = safeReturnTo(c.req.query("returnTo"), config(c.env).origin);
  if (returnTo === null) throw new ApiError("validation_failed", { errors: [{ path: "returnTo", message: "Must be a path on this site, like /account." }] });
  await enforceRateLimit(c, "auth.oauth-start");
  const started = await beginOAuth(c.env, provider, { returnTo, mode: "sign_in" });
  if (!started) throw new ApiError("service_unavailable", { detail: `${provider.label} cannot be reached right now. Try again later.` });
  setOAuthBindingCookie(c, started.binding);
  c.header("cache-control", "no-store");
  return c.redirect(started.url.toString(), 302);
});

// ---------------------------------------------------------------------------
const CallbackParams = z.object({ state: z.optional(z.string()), code: z.optional(z.string()), error: z.optional(z.string()) });
describeRoute(oauthRoutes, {
  query: CallbackParams,
  summary: "The provider's redirect back (also POST for Apple's form_post). Redirects into the SPA: /oauth/done or /oauth/error?code=...",
  responses: { 302: "Redirect into the SPA" },
});
oauthRoutes.get("/oauth/:provider/callback", (c) => finishOAuth(c, { state: c.req.query("state"), code: c.req.query("code"), error: c.req.query("error") }));
describeRoute(oauthRoutes, {
  form: z.extend(CallbackParams, { user: z.optional(z.string()) }),
  summary:
    "The provider's redirect back as a form post (Apple's response_mode=form_post; `user` carries the name Apple sends once, as JSON). Redirects into the SPA like the GET callback.",
  responses: { 302: "Redirect into the SPA" },
});
oauthRoutes.post("/oauth/:provider/callback", async (c) => {
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  return finishOAuth(c, { state: text(form.state), code: text(form.code), error: text(form.error) }, appleName(text(form.user)));
});

async function finishOAuth(c: Context<AppEnv>, params: Omit<CallbackInput, "binding">, postedName: string | null = null) {
  c.header("cache-control", "no-store");
  const provider = findProvider(c.env, c.req.param("provider") ?? "");
  if (!provider) return redirectToError(c, "provider_not_configured");
  try {
    await enforceRateLimit(c, "auth.oauth-callback");
    const binding = mfaBindingFor(c);
    const context = { device: deviceInfo(c.req.raw), binding, defer: (work: Promise<unknown>) => c.executionCtx.waitUntil(work), locale: requestLocale(c) };
    const result = await finishOAuthCallback(c.env, provider, { ...params, binding: readOAuthBindingCookie(c), postedName }, context);
    return await landing(c, provider, result, binding);
  } catch (e) {
    // A browser navigation: even our own failure lands on a page that says what to do.
    if (e instanceof ApiError) return redirectToError(c, e.code);
    console.error(`[oauth_failed] ${provider.id} callback`, e);
    return redirectToError(c, "oauth_failed");
  }
}

/** Where the browser lands after the callback, with the audit event of each outcome. */
async function landing(c: Context<AppEnv>, provider: OAuthProvider, result: OAuthCallbackResult, binding: string) {
  if (!result.ok) {
    auditOAuth(c, provider, { type: result.event, userId: result.userId, reason: result.reason });
    return redirectToError(c, result.code);
  }
  if (result.mode === "link") {
    if (result.linked) auditOAuth(c, provider, { type: "identity.linked", userId: result.userId, sessionId: result.sessionId });
    return redirectToDone(c, result.returnTo, { linked: provider.id });
  }
  if ("challenge" in result) {
    // Two-step verification: no session yet. The SPA's second-step page takes it from here.
    setMfaBindingCookie(c, binding);
    auditOAuth(c, provider, { type: "sign_in.mfa_required", userId: result.user.id });
    return redirectToDone(c, result.returnTo, { mfaRequired: "1", mfaToken: result.challenge.mfaToken, methods: result.challenge.methods.join(",") });
  }
  const tokens = result.session;
  setRefreshCookie(c, tokens.refreshToken, tokens.refreshExpiresAt, clock.now());
  auditOAuth(c, provider, {
    type: "sign_in.success",
    userId: result.user.id,
    sessionId: tokens.sessionId,
    detail: { created: result.created, linkedByEmail: result.linkedByEmail },
  });
  await notifyIfNewDevice(c, result.user, tokens).catch((e) => console.error("[oauth] new-device notice failed", e));
  const phone = tokens.pending === "phone";
  return redirectToDone(c, result.returnTo, {
    signedIn: "1",
    ...(result.created ? { created: "1" } : {}),
    ...(phone ? { phoneVerificationRequired: "1" } : {}),
  });
}

function redirectToDone(c: Context<AppEnv>, returnTo: string, flags: Record<string, string>) {
  const params = new URLSearchParams({ returnTo, ...flags });
  return c.redirect(`${config(c.env).origin}/oauth/done?${params}`, 303);
}

function redirectToError(c: Context<AppEnv>, code: ErrorCode) {
  return c.redirect(`${config(c.env).origin}/oauth/error?code=${code}`, 303);
}

/** Every OAuth event names the method and provider. Not awaited: auditing never changes where the browser lands. */
function auditOAuth(c: Context<AppEnv>, provider: OAuthProvider, event: Omit<AuditInput, "device">) {
  audit(c, { ...event, detail: { method: "oauth", provider: provider.id, ...event.detail } });
}

/** Apple sends the name once, on the first sign-in, as a JSON form field `user`. */
function appleName(user: string | undefined): string | null {
  if (!user || user.length > 2048) return null;
  try {
    const name = (JSON.parse(user) as { name?: { firstName?: unknown; lastName?: unknown } }).name;
    const full = [name?.firstName, name?.lastName]
      .filter((s) => typeof s === "string")
      .join(" ")
      .replace(/[\p{Cc}\p{Cf}]/gu, "")
      .trim();
    return full.slice(0, 100) || null;
  } catch {
    return null;
  }
}
