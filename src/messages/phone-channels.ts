// Phone channels (SMS, WhatsApp, Telegram): pick the provider adapter configured for a
// channel, and walk the fallback chain (e.g. WhatsApp -> SMS) until one accepts.
import { config, type PhoneChannel } from "../config";
import { DeliveryError } from "./email";
import type { OutboundMessage } from "./message";
import { sendMetaWhatsApp } from "./meta-whatsapp";
import { sendTelegramCode } from "./telegram-gateway";
import { sendTwilioSms, sendTwilioWhatsApp } from "./twilio";

type Adapter = (env: Env, message: OutboundMessage) => Promise<void>;

const ADAPTERS: Record<PhoneChannel, Record<string, Adapter>> = {
  sms: { twilio: sendTwilioSms },
  whatsapp: { twilio: sendTwilioWhatsApp, meta: sendMetaWhatsApp },
  telegram: { telegram: sendTelegramCode },
};

async function sendConsole(env: Env): Promise<void> {
  // Development: the dev outbox already has the message (sendMessage put it there).
  if (!config(env).isDevelopment) throw new DeliveryError("the console provider is for development only", false);
}

function adapterFor(env: Env, channel: PhoneChannel): Adapter {
  const c = config(env).phone;
  const provider = { sms: c.smsProvider, whatsapp: c.whatsappProvider, telegram: c.telegramProvider }[channel];
  if (provider === "console") return sendConsole;
  const adapter = ADAPTERS[channel][provider];
  if (!adapter) return () => Promise.reject(new DeliveryError(`unknown provider "${provider}" for ${channel}`, false));
  return adapter;
}

/**
 * Tries `message.channel`, then each fallback channel in order; resolves on the first
 * success. If all fail, throws: retryable when any failure was (the queue then retries
 * the whole chain later, first channel first).
 */
export async function deliverToPhone(env: Env, message: OutboundMessage): Promise<PhoneChannel> {
  const chain = [message.channel, ...(message.fallback ?? [])].filter((ch, i, all): ch is PhoneChannel => ch !== "email" && all.indexOf(ch) === i);
  const failures: DeliveryError[] = [];
  for (const channel of chain) {
    try {
      await adapterFor(env, channel)(env, { ...message, channel });
      if (failures.length) console.warn(`[messages] ${message.id} delivered by fallback ${channel} after: ${failures.map((f) => f.message).join("; ")}`);
      return channel;
    } catch (e) {
      failures.push(e instanceof DeliveryError ? e : new DeliveryError(String((e as Error)?.message ?? e), true));
    }
  }
  throw new DeliveryError(failures.map((f) => f.message).join("; ") || "no channel", failures.some((f) => f.retryable));
}
