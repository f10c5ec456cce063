// Phone channels (SMS, WhatsApp, Telegram): pick the provider adapter configured for a
// channel, and walk the fallback chain (e.g. WhatsApp -> SMS) until one accepts. A
// provider that accepts may still fail to deliver and say so later: when there is a
// channel left to try, the accepted message is remembered for its delivery report
// (messages/delivery-reports.ts).
import { config, type PhoneChannel } from "../config";
import { DeliveryError } from "./email";
import type { OutboundMessage } from "./message";
import { sendMetaWhatsApp } from "./meta-whatsapp";
import { sendTelegramCode } from "./telegram-gateway";
import type { ProviderReceipt } from "./provider-http";
import { sendTwilioSms, sendTwilioWhatsApp } from "./twilio";
import { rememberProviderMessage } from "../storage/provider-messages";

type Adapter = (env: Env, message: OutboundMessage) => Promise<ProviderReceipt | null>;

const ADAPTERS: Record<PhoneChannel, Record<string, Adapter>> = {
  sms: { twilio: sendTwilioSms },
  whatsapp: { twilio: sendTwilioWhatsApp, meta: sendMetaWhatsApp },
  telegram: { telegram: sendTelegramCode },
};

async function sendConsole(env: Env): Promise<null> {
  // Development: the dev outbox already has the message (sendMessage put it there).
  if (!config(env).isDevelopment) throw new DeliveryError("the console provider is for development only", false);
  return null;
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
/** The message's channels in order, phone channels only, each once. */
export function phoneChain(message: OutboundMessage): PhoneChannel[] {
  return [message.channel, ...(message.fallback ?? [])].filter((ch, i, all): ch is PhoneChannel => ch !== "email" && all.indexOf(ch) === i);
}

export async function deliverToPhone(env: Env, message: OutboundMessage): Promise<PhoneChannel> {
  const chain = phoneChain(message);
  const failures: DeliveryError[] = [];
  for (const [position, channel] of chain.entries()) {
    try {
      const receipt = await adapterFor(env, channel)(env, { ...message, channel });
      if (receipt && position + 1 < chain.length) await rememberSent(env, receipt, chain, position, message);
      if (failures.length) console.warn(`[messages] ${message.id} delivered by fallback ${channel} after: ${failures.map((f) => f.message).join("; ")}`);
      return channel;
    } catch (e) {
      failures.push(e instanceof DeliveryError ? e : new DeliveryError(String((e as Error)?.message ?? e), true));
    }
  }
  throw new DeliveryError(
    failures.map((f) => f.message).join("; ") || "no channel",
    failures.some((f) => f.retryable),
  );
}

/** Best effort: the message is sent; losing the record only loses the late fallback. */
async function rememberSent(env: Env, receipt: ProviderReceipt, chain: PhoneChannel[], position: number, message: OutboundMessage): Promise<void> {
  try {
    await rememberProviderMessage(env, receipt.id, { provider: receipt.provider, chain, position, message });
  } catch (e) {
    console.error(`[messages] could not remember ${receipt.provider} message for ${message.id}: ${(e as Error).message}`);
  }
}
