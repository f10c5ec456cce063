// Configuration read from vars, parsed once per env object. Every knob has a
// safe default so a missing var never weakens security.
export type Config = {
  environment: string;
  isDevelopment: boolean;
  appName: string;
  publicUrl: string;
  origin: string;
  audience: string;
  accessTokenTtl: number;
  refreshIdleTtl: number;
  refreshAbsoluteTtl: number;
  passwordMinLength: number;
  emailProvider: string;
  emailFrom: string;
  corsOrigins: string[];
  /** Social sign-up is complete only once a phone is verified (flag `phoneVerificationRequired`). */
  oauthRequirePhone: boolean;
};

const cache = new WeakMap<Env, Config>();

function int(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number.parseInt(value ?? "", 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

export function config(env: Env): Config {
  let c = cache.get(env);
  if (c) return c;
  const publicUrl = (env.PUBLIC_URL || "http://127.0.0.1:8787").replace(/\/+$/, "");
  c = {
    environment: env.ENVIRONMENT || "production",
    isDevelopment: env.ENVIRONMENT === "development",
    appName: env.APP_NAME || "Edge Auth",
    publicUrl,
    origin: new URL(publicUrl).origin,
    audience: env.JWT_AUDIENCE || publicUrl,
    accessTokenTtl: int(env.ACCESS_TOKEN_TTL_SECONDS, 900, 60, 3600),
    refreshIdleTtl: int(env.REFRESH_IDLE_TTL_SECONDS, 7 * 86400, 300, 90 * 86400),
    refreshAbsoluteTtl: int(env.REFRESH_ABSOLUTE_TTL_SECONDS, 30 * 86400, 300, 365 * 86400),
    // NIST SP 800-63B-4: 15 for single-factor; never below 8.
    passwordMinLength: int(env.PASSWORD_MIN_LENGTH, 15, 8, 64),
    emailProvider: env.EMAIL_PROVIDER || "console",
    emailFrom: env.EMAIL_FROM || "Edge Auth <no-reply@example.com>",
    corsOrigins: (env.CORS_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    oauthRequirePhone: env.OAUTH_REQUIRE_PHONE === "true",
  };
  cache.set(env, c);
  return c;
}
