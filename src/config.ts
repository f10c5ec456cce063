// Configuration read from vars, parsed once per env object. Every knob has a
// safe default so a missing var never weakens security.
import { oncePer } from "./model/memo";

export type Config = {
  environment: string;
  /**
   * ENVIRONMENT is "development" AND PUBLIC_URL is a loopback origin: the only case in
   * which the dev outbox answers and the console message providers work (README
   * "Deploy"). A deployed Worker has a public URL, so a stray ENVIRONMENT var cannot
   * switch these on in production.
   */
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
  /**
   * Sensitive changes (sign-in methods, second factors, password) need a sign-in or a
   * re-authentication this recent (README "Second factors and passkeys").
   */
  reauthWindowSeconds: number;
  /** Social sign-up is complete only once a phone is verified (flag `phoneVerificationRequired`). */
  oauthRequirePhone: boolean;
  phone: PhoneConfig;
};

export type PhoneChannel = "sms" | "whatsapp" | "telegram";

/** Phones and one-time codes (README "Phones and one-time codes"). */
export type PhoneConfig = {
  /** Channels a client may ask for, in order; the first is the default. */
  channels: PhoneChannel[];
  /** What to try next when a channel fails, e.g. whatsapp -> [sms]. */
  fallback: Partial<Record<PhoneChannel, PhoneChannel[]>>;
  smsProvider: string;
  whatsappProvider: string;
  telegramProvider: string;
  /** ISO 3166-1 alpha-2 codes; empty = every country. */
  allowedCountries: string[];
  signupTtlSeconds: number;
  twilioAccountSid: string;
  twilioSmsFrom: string;
  twilioMessagingServiceSid: string;
  twilioWhatsappFrom: string;
  twilioWhatsappContentSid: string;
  /** Ask Twilio for status callbacks (TWILIO_STATUS_CALLBACKS = "on"). */
  twilioStatusCallbacks: boolean;
  metaPhoneNumberId: string;
  metaTemplate: string;
  metaGraphVersion: string;
};

const PHONE_CHANNELS: readonly PhoneChannel[] = ["sms", "whatsapp", "telegram"];
const isPhoneChannel = (s: string): s is PhoneChannel => (PHONE_CHANNELS as readonly string[]).includes(s);

/** "whatsapp>sms, telegram>whatsapp>sms": each chain lists what to try after its first channel. */
function parseFallback(value: string): Partial<Record<PhoneChannel, PhoneChannel[]>> {
  const out: Partial<Record<PhoneChannel, PhoneChannel[]>> = {};
  for (const chain of value.split(",")) {
    const [first, ...rest] = chain
      .split(">")
      .map((s) => s.trim())
      .filter(isPhoneChannel);
    if (first) out[first] = rest.filter((ch) => ch !== first);
  }
  return out;
}

function phoneConfig(env: Env): PhoneConfig {
  const list = (v: string | undefined) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const channels = list(env.PHONE_CHANNELS).filter(isPhoneChannel);
  return {
    channels: channels.length ? channels : ["sms"],
    fallback: parseFallback(env.PHONE_FALLBACK ?? "whatsapp>sms,telegram>sms"),
    smsProvider: env.SMS_PROVIDER || "console",
    whatsappProvider: env.WHATSAPP_PROVIDER || "console",
    telegramProvider: env.TELEGRAM_PROVIDER || "console",
    allowedCountries: list(env.PHONE_ALLOWED_COUNTRIES).map((s) => s.toUpperCase()),
    signupTtlSeconds: int(env.SIGNUP_TTL_SECONDS, 3600, 300, 86400),
    twilioAccountSid: env.TWILIO_ACCOUNT_SID ?? "",
    twilioSmsFrom: env.TWILIO_SMS_FROM ?? "",
    twilioMessagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID ?? "",
    twilioWhatsappFrom: env.TWILIO_WHATSAPP_FROM ?? "",
    twilioWhatsappContentSid: env.TWILIO_WHATSAPP_CONTENT_SID ?? "",
    twilioStatusCallbacks: env.TWILIO_STATUS_CALLBACKS === "on",
    metaPhoneNumberId: env.META_WHATSAPP_PHONE_NUMBER_ID ?? "",
    metaTemplate: env.META_WHATSAPP_TEMPLATE || "verification_code",
    metaGraphVersion: env.META_GRAPH_VERSION || "v21.0",
  };
}

function int(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number.parseInt(value ?? "", 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

/** http(s)://localhost, *.localhost, 127.0.0.0/8 or [::1]: an origin only this machine can reach. */
export function isLoopbackOrigin(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The vars parsed once per env object. */
export const config = oncePer((env: Env): Config => {
  const publicUrl = (env.PUBLIC_URL || "http://127.0.0.1:8787").replace(/\/+$/, "");
  return {
    environment: env.ENVIRONMENT || "production",
    isDevelopment: env.ENVIRONMENT === "development" && isLoopbackOrigin(publicUrl),
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
    corsOrigins: (env.CORS_ORIGINS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
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
    // FRESH_SIGN_IN_SECONDS is the earlier name, still read when the new one is unset.
    reauthWindowSeconds: int(env.REAUTH_WINDOW_SECONDS || env.FRESH_SIGN_IN_SECONDS, 300, 60, 86400),
    oauthRequirePhone: env.OAUTH_REQUIRE_PHONE === "true",
    phone: phoneConfig(env),
  };
});
