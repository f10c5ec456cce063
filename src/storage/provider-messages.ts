// Messages a provider accepted but may still report as failed later (Twilio status
// callbacks, Meta WhatsApp webhooks). The record holds the whole OutboundMessage, code
// text included, until the code expires (after that a resend would be useless anyway).
// It lives in a Limiter Durable Object, not KV: the report can arrive within a second of
// the send and be handled at another location, where KV (eventually consistent, ~60 s)
// could still say "unknown message" and the fallback would be lost.
import { clock } from "../clock";
import type { PhoneChannel } from "../config";
import type { OutboundMessage } from "../messages/message";
import { sha256Hex } from "../auth/secrets";
import { limiterObject, objectNames } from "../objects/names";

export type DeliveryProvider = "twilio" | "meta";

export type ProviderMessage = {
  provider: DeliveryProvider;
  /** The channel chain of the message, first channel first; `position` is the one this provider got. */
  chain: PhoneChannel[];
  position: number;
  message: OutboundMessage;
};

const RECORD = "record";
const recordObject = (env: Env, provider: DeliveryProvider, providerId: string) =>
  limiterObject(env, objectNames.providerMessage(sha256Hex(`${provider}:${providerId}`)));

/** Remembers a sent code message until its code expires; nothing for messages without an expiry. */
export async function rememberProviderMessage(env: Env, providerId: string, record: ProviderMessage): Promise<void> {
  const expiresAt = record.message.expiresAt;
  if (expiresAt === undefined || expiresAt <= clock.now()) return;
  await recordObject(env, record.provider, providerId).remember(RECORD, record, expiresAt);
}

export async function findProviderMessage(env: Env, provider: DeliveryProvider, providerId: string): Promise<ProviderMessage | null> {
  const record = (await recordObject(env, provider, providerId).recall(RECORD, clock.now())) as ProviderMessage | null;
  return record && record.provider === provider ? record : null;
}

/**
 * True exactly once per (message, chain position): providers retry and duplicate their
 * reports (Twilio may send "failed" and then "undelivered"; Meta retries webhooks), so a
 * Limiter Durable Object decides. `release` gives the claim back (the resend could not be
 * queued), so the provider's retry of the report can try again.
 */
export async function claimFallback(env: Env, record: ProviderMessage): Promise<{ claimed: boolean; release: () => Promise<void> }> {
  const fence = limiterObject(env, objectNames.deliveryFallback(record.message.id));
  const id = `after:${record.position}`;
  const claimed = await fence.redeem(id, record.message.expiresAt ?? 0, clock.now());
  return { claimed, release: () => fence.release(id) };
}
