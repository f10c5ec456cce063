// Messages a provider accepted but may still report as failed later (Twilio status
// callbacks, Meta WhatsApp webhooks). The record holds the whole OutboundMessage, code
// text included, so it lives only in KV and only until the code expires: after that a
// resend would be useless anyway.
import { clock } from "../clock";
import type { PhoneChannel } from "../config";
import type { OutboundMessage } from "../messages/message";
import { sha256Hex } from "../auth/secrets";
import { getJson, kvKeys, putJson } from "./kv";
import { limiterObject, objectNames } from "../objects/names";

export type DeliveryProvider = "twilio" | "meta";

export type ProviderMessage = {
  provider: DeliveryProvider;
  /** The channel chain of the message, first channel first; `position` is the one this provider got. */
  chain: PhoneChannel[];
  position: number;
  message: OutboundMessage;
};

const keyFor = (provider: DeliveryProvider, providerId: string) => kvKeys.providerMessage(sha256Hex(`${provider}:${providerId}`));

/** Remembers a sent code message until its code expires; nothing for messages without an expiry. */
export async function rememberProviderMessage(env: Env, providerId: string, record: ProviderMessage): Promise<void> {
  const expiresAt = record.message.expiresAt;
  if (expiresAt === undefined || expiresAt <= clock.now()) return;
  await putJson(env.KV, keyFor(record.provider, providerId), record, (expiresAt - clock.now()) / 1000);
}

export async function findProviderMessage(env: Env, provider: DeliveryProvider, providerId: string): Promise<ProviderMessage | null> {
  const record = await getJson<ProviderMessage>(env.KV, keyFor(provider, providerId));
  return record && record.provider === provider ? record : null;
}

/**
 * True exactly once per (message, chain position): providers retry and duplicate their
 * reports (Twilio may send "failed" and then "undelivered"; Meta retries webhooks), and
 * KV has no compare-and-set, so a Limiter Durable Object decides.
 */
export async function claimFallback(env: Env, record: ProviderMessage): Promise<{ claimed: boolean; release: () => Promise<void> }> {
  const fence = limiterObject(env, objectNames.deliveryFallback(record.message.id));
  const claimed = await fence.redeem(`after:${record.position}`, record.message.expiresAt ?? 0, clock.now());
  // One object per message: clearing it only forgets this message's claims.
  return { claimed, release: () => fence.clear() };
}
