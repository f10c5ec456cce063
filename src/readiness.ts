// What a deployment needs before it can serve: its signing keys and a working provider
// for every message channel it offers. /health reports each as a named check; the
// request paths that need one fail with a clear ConfigurationError (503
// service_misconfigured, the reason in the log) instead of a 500 or, worse, a silent
// "console" provider that prints codes to a production log.
import { config, type PhoneChannel } from "./config";
import { ConfigurationError } from "./errors";
import { keyRing } from "./auth/signing-keys";
import type { Channel } from "./messages/message";

export type CheckResult = "ok" | "error";

/** Why `channel` cannot send in this configuration, or null when it can. Sync: no I/O. */
export function channelProblem(env: Env, channel: Channel): string | null {
  const c = config(env);
  if (channel === "email") {
    const provider = c.emailProvider;
    if (provider === "console") return c.isDevelopment ? null : consoleOutsideDevelopment("EMAIL_PROVIDER");
    if (provider === "resend") return env.RESEND_API_KEY ? null : "EMAIL_PROVIDER=resend needs the secret RESEND_API_KEY";
    if (provider === "sendgrid") return env.SENDGRID_API_KEY ? null : "EMAIL_PROVIDER=sendgrid needs the secret SENDGRID_API_KEY";
    return `EMAIL_PROVIDER=${provider} is not a known provider (resend, sendgrid; console in development)`;
  }
  const p = c.phone;
  const name = `${channel.toUpperCase()}_PROVIDER`;
  const provider = { sms: p.smsProvider, whatsapp: p.whatsappProvider, telegram: p.telegramProvider }[channel];
  if (provider === "console") return c.isDevelopment ? null : consoleOutsideDevelopment(name);
  const twilio = () => (p.twilioAccountSid && env.TWILIO_AUTH_TOKEN ? null : `${name}=twilio needs TWILIO_ACCOUNT_SID and the secret TWILIO_AUTH_TOKEN`);
  if (channel === "sms" && provider === "twilio")
    return twilio() ?? (p.twilioSmsFrom || p.twilioMessagingServiceSid ? null : "SMS_PROVIDER=twilio needs TWILIO_SMS_FROM or TWILIO_MESSAGING_SERVICE_SID");
  if (channel === "whatsapp" && provider === "twilio") return twilio() ?? (p.twilioWhatsappFrom ? null : "WHATSAPP_PROVIDER=twilio needs TWILIO_WHATSAPP_FROM");
  if (channel === "whatsapp" && provider === "meta")
    return p.metaPhoneNumberId && env.META_WHATSAPP_TOKEN
      ? null
      : "WHATSAPP_PROVIDER=meta needs META_WHATSAPP_PHONE_NUMBER_ID and the secret META_WHATSAPP_TOKEN";
  if (channel === "telegram" && provider === "telegram")
    return env.TELEGRAM_GATEWAY_TOKEN ? null : "TELEGRAM_PROVIDER=telegram needs the secret TELEGRAM_GATEWAY_TOKEN";
  return `${name}=${provider} is not a known provider for ${channel}`;
}

const consoleOutsideDevelopment = (name: string) =>
  `${name}=console only works when ENVIRONMENT=development and PUBLIC_URL is a loopback origin; configure a real provider`;

/** Throws a ConfigurationError when `channel` cannot send: nothing is queued, nothing is printed. */
export function assertChannelReady(env: Env, channel: Channel): void {
  const problem = channelProblem(env, channel);
  if (problem) throw new ConfigurationError(problem);
}

/** The channels this deployment offers: email always, plus PHONE_CHANNELS. */
export function offeredChannels(env: Env): Channel[] {
  return ["email", ...config(env).phone.channels];
}

/** Every configuration check /health reports, by name: signingKeys, email, and each phone channel offered. */
export async function configurationChecks(env: Env): Promise<Record<string, CheckResult>> {
  const checks: Record<string, CheckResult> = {};
  checks.signingKeys = await keyRing(env).then(
    () => "ok" as const,
    (e: unknown) => report("signingKeys", (e as Error).message),
  );
  for (const channel of offeredChannels(env)) {
    const problem = channelProblem(env, channel as Channel | PhoneChannel);
    checks[channel] = problem ? report(channel, problem) : "ok";
  }
  return checks;
}

function report(check: string, reason: string): "error" {
  console.error(`[configuration] /health check ${check} failing: ${reason}`);
  return "error";
}
