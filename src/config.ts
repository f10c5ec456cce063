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
  /** Failed sign-ins per account before throttling starts (README "Abuse protection"). */
  lockoutThreshold: number;
  lockoutBaseDelaySeconds: number;
  lockoutMaxDelaySeconds: number;
  /** NIST SP 800-63B-4 §3.2.2: never more than 100 consecutive failures. */
  lockoutMaxFailures: number;
  breachedPasswordCheck: "on" | "off";
  /** What to do when the HIBP range API cannot answer in time: allow the password or refuse it. */
  breachedPasswordOnError: "allow" | "refuse";
  breachedPasswordTimeoutMs: number;
  auditRetentionDays: number;
  unverifiedAccountTtlDays: number;
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
    lockoutThreshold: int(env.LOCKOUT_THRESHOLD, 10, 3, 100),
    lockoutBaseDelaySeconds: int(env.LOCKOUT_BASE_DELAY_SECONDS, 60, 1, 3600),
    lockoutMaxDelaySeconds: int(env.LOCKOUT_MAX_DELAY_SECONDS, 3600, 1, 3600),
    lockoutMaxFailures: int(env.LOCKOUT_MAX_FAILURES, 100, 10, 100),
    // Off only when explicitly switched off: a missing var keeps the check.
    breachedPasswordCheck: env.BREACHED_PASSWORD_CHECK === "off" ? "off" : "on",
    breachedPasswordOnError: env.BREACHED_PASSWORD_ON_ERROR === "refuse" ? "refuse" : "allow",
    breachedPasswordTimeoutMs: int(env.BREACHED_PASSWORD_TIMEOUT_MS, 1500, 50, 10_000),
    auditRetentionDays: int(env.AUDIT_RETENTION_DAYS, 90, 1, 3650),
    unverifiedAccountTtlDays: int(env.UNVERIFIED_ACCOUNT_TTL_DAYS, 7, 1, 365),
  };
  cache.set(env, c);
  return c;
}
