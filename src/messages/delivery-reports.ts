// Late delivery failures. Twilio and Meta accept a WhatsApp message and only later report
// that it failed (no WhatsApp on the number, template refused, 24-hour window…) through a
// status callback / webhook. The accepted message was remembered with its place in the
// fallback chain (storage/provider-messages.ts); a failure report puts the same message
// back on the queue for the next channel, once, and only while its code still works.
import { clock } from "../clock";
import { claimFallback, findProviderMessage, type DeliveryProvider } from "../storage/provider-messages";
import type { OutboundMessage } from "./message";

export type ReportOutcome = "fallback_queued" | "unknown_message" | "no_next_channel" | "code_expired" | "already_handled";

export async function fallBackAfterFailedDelivery(env: Env, provider: DeliveryProvider, providerId: string, reason: string): Promise<ReportOutcome> {
  const record = await findProviderMessage(env, provider, providerId);
  if (!record) return "unknown_message";
  const { message, chain, position } = record;
  const next = chain[position + 1];
  if (!next) return "no_next_channel";
  if (message.expiresAt === undefined || clock.now() >= message.expiresAt) return "code_expired";
  const claim = await claimFallback(env, record);
  if (!claim.claimed) return "already_handled";
  const resend: OutboundMessage = { ...message, channel: next, fallback: chain.slice(position + 2) };
  try {
    await env.MESSAGES.send(resend, { contentType: "json" });
  } catch (e) {
    // Not queued: forget the claim so the provider's retry of this report can try again.
    await claim.release();
    throw e;
  }
  console.warn(`[messages] ${message.id}: ${provider} reported ${chain[position]} failed (${reason}); queued for ${next}`);
  return "fallback_queued";
}
