// Builds the Hono app: cross-cutting middleware, the route groups, one error handler.
import { Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { config } from "./config";
import type { AppEnv } from "./env";
import { ApiError, ConfigurationError, problemResponse } from "./errors";
import { limitBody, refuseCrossSite, requireChannel } from "./http/guards";
import { securityHeaders } from "./http/security-headers";
import { accountLifecycleRoutes, reactivateRoutes } from "./routes/account-lifecycle";
import { activityRoutes } from "./routes/activity";
import { authRoutes } from "./routes/auth";
import { avatarRoutes, avatarUploadRoutes } from "./routes/avatars";
import { adminRoutes } from "./routes/admin";
import { identityRoutes } from "./routes/identities";
import { invitationRoutes } from "./routes/invitations";
import { memberRoutes } from "./routes/members";
import { orgInvitationRoutes } from "./routes/org-invitations";
import { orgRoutes } from "./routes/orgs";
import { roleRoutes } from "./routes/roles";
import { switchOrgRoutes } from "./routes/switch-org";
import { meRoutes } from "./routes/me";
import { oauthRoutes } from "./routes/oauth";
import { emailChangeRevertRoutes, meEmailRoutes } from "./routes/me-email";
import { meExportRoutes } from "./routes/me-export";
import { mePhoneRoutes } from "./routes/me-phone";
import { mePreferencesRoutes } from "./routes/me-preferences";
import { otpRoutes } from "./routes/otp";
import { phoneOptionsRoutes } from "./routes/phone-options";
import { phoneSignupRoutes } from "./routes/phone-signup";
import { passwordRoutes } from "./routes/password";
import { sessionRoutes } from "./routes/sessions";
import { systemRoutes } from "./routes/system";
import { webhookRoutes } from "./routes/webhooks";
import { meMfaRoutes } from "./routes/me-mfa";
import { mePasskeyRoutes } from "./routes/me-passkeys";
import { mfaSignInRoutes } from "./routes/mfa-sign-in";
import { reauthRoutes } from "./routes/reauthenticate";

export function buildApp() {
  const app = new Hono<AppEnv>();

  app.use(securityHeaders());
  app.use("/api/*", async (c, next) => {
    const res = await cors({
      // Only configured origins are echoed; anything else gets no CORS headers at all.
      origin: (origin) => (config(c.env).corsOrigins.includes(origin) ? origin : null),
      credentials: true,
      allowHeaders: ["content-type", "authorization", "x-token-transport"],
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      exposeHeaders: ["retry-after", "ratelimit", "ratelimit-policy"],
      maxAge: 600,
    })(c, next);
    // hono/cors sends Allow-Credentials to every origin; say nothing at all to a foreign one.
    const out = res ?? c.res;
    if (!out.headers.has("access-control-allow-origin")) out.headers.delete("access-control-allow-credentials");
    return res;
  });
  app.use("/api/*", refuseCrossSite());
  app.use("/api/*", limitBody());

  for (const path of ["/api/auth/register", "/api/auth/resend-verification", "/api/auth/password/forgot"]) app.use(path, requireChannel("email"));

  app.route("/", systemRoutes);
  // Signing up and in.
  app.route("/api/auth", authRoutes);
  app.route("/api/auth/password", passwordRoutes);
  app.route("/api/auth/otp", otpRoutes);
  app.route("/api/auth/signup/phone", phoneSignupRoutes);
  app.route("/api/auth/phone", phoneOptionsRoutes);
  app.route("/api/auth", oauthRoutes);
  app.route("/api/auth", mfaSignInRoutes);
  app.route("/api/auth/reauthenticate", reauthRoutes);
  app.route("/api/auth/email-change", emailChangeRevertRoutes);
  app.route("/api/auth", reactivateRoutes);
  app.route("/api/auth", switchOrgRoutes);
  // The signed-in user.
  app.route("/api/me", meRoutes);
  app.route("/api/me", accountLifecycleRoutes);
  app.route("/api/me/phone", mePhoneRoutes);
  app.route("/api/me/identities", identityRoutes);
  app.route("/api/me/sessions", sessionRoutes);
  app.route("/api/me/activity", activityRoutes);
  app.route("/api/me/mfa", meMfaRoutes);
  app.route("/api/me/passkeys", mePasskeyRoutes);
  app.route("/api/me/avatar", avatarUploadRoutes);
  app.route("/api/me/preferences", mePreferencesRoutes);
  app.route("/api/me/email", meEmailRoutes);
  app.route("/api/me/export", meExportRoutes);
  app.route("/api/avatars", avatarRoutes);
  // Organizations, their members, roles and invitations (README "Organizations").
  app.route("/api/orgs", orgRoutes);
  app.route("/api/orgs", memberRoutes);
  app.route("/api/orgs", roleRoutes);
  app.route("/api/orgs", orgInvitationRoutes);
  app.route("/api/invitations", invitationRoutes);
  // Platform admins (README "Admin").
  app.route("/api/admin", adminRoutes);
  // Messaging providers' delivery reports.
  app.route("/api/webhooks", webhookRoutes);

  app.notFound(() => problemResponse("not_found"));
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      if (err.options.cause) console.warn(`[${err.code}]`, err.options.cause);
      return problemResponse(err.code, err.options);
    }
    if (err instanceof ConfigurationError) {
      console.error(`[configuration] ${c.req.method} ${new URL(c.req.url).pathname}: ${err.message}`);
      return problemResponse("service_misconfigured");
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Hono's own 4xx (e.g. a malformed header): keep the status, speak problem+json.
      return problemResponse(err.status === 413 ? "payload_too_large" : "validation_failed", { detail: err.message });
    }
    console.error(`[internal_error] ${c.req.method} ${new URL(c.req.url).pathname}`, err);
    return problemResponse("internal_error");
  });
  return app;
}
