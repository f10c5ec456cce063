// The queue consumer: delivers each message through its channel, retrying with
// exponential backoff. After max_retries (wrangler.toml) Cloudflare moves the message to
// the dead-letter queue, whose consumer logs it: nothing is dropped silently. The one
// exception is a code message whose code has already expired: it is acknowledged unsent
// and recorded as `message.expired` (a dead code only confuses the person who gets it).
import { maskPhoneNumber } from "../auth/phone-number";
import { clock } from "../clock";
import { recordAuditEvent } from "../storage/audit";
import { DeliveryError, deliverEmail } from "./email";
import type { OutboundMessage } from "./message";
import { deliverToPhone } from "./phone-channels";

// "edge-auth-messages-dlq" in development, "edge-auth-messages-<env>-dlq" when deployed (wrangler.toml).
const isDeadLetterQueue = (queue: string) => queue.endsWith("-dlq");

export async function deliver(env: Env, message: OutboundMessage): Promise<void> {
  switch (message.channel) {
    case "email":
      return deliverEmail(env, message);
    case "sms":
    case "whatsapp":
    case "telegram":
      await deliverToPhone(env, message);
      return;
    default:
      throw new DeliveryError(`no adapter for channel ${message.channel}`, false);
  }
}

/** 30 s, 60 s, 120 s ... capped at one hour. */
export const backoffSeconds = (attempts: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

export async function handleMessageBatch(batch: MessageBatch<OutboundMessage>, env: Env): Promise<void> {
  if (isDeadLetterQueue(batch.queue)) {
    for (const msg of batch.messages) {
      console.error(`[messages] undeliverable after retries: ${msg.body.channel} ${msg.body.kind} id=${msg.body.id}`);
      // The audit trail is the durable record (never the text: it holds the code). If D1
      // is down the message is retried here rather than acknowledged, so nothing is lost.
      try {
        await recordMessageEvent(env, "message.undeliverable", "max_retries", msg.body, msg.attempts);
        msg.ack();
      } catch (e) {
        console.error(`[messages] could not record undeliverable ${msg.body.id}: ${(e as Error).message}`);
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      }
    }
    return;
  }
  for (const msg of batch.messages) {
    if (msg.body.expiresAt !== undefined && clock.now() >= msg.body.expiresAt) {
      console.warn(`[messages] dropped, its code expired before delivery (attempt ${msg.attempts}): ${msg.body.channel} ${msg.body.kind} id=${msg.body.id}`);
      try {
        await recordMessageEvent(env, "message.expired", "code_expired", msg.body, msg.attempts);
        msg.ack();
      } catch (e) {
        // Same rule as the dead-letter queue: no record, no acknowledgement.
        console.error(`[messages] could not record expired ${msg.body.id}: ${(e as Error).message}`);
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      }
      continue;
    }
    try {
      await deliver(env, msg.body);
      msg.ack();
    } catch (e) {
      console.error(`[messages] delivery failed (attempt ${msg.attempts}): ${msg.body.channel} ${msg.body.kind} id=${msg.body.id}: ${(e as Error).message}`);
      // Permanent failures still go round the retries: a fixed secret or provider setting
      // then delivers them, and the dead-letter queue is the record if nothing does.
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
    }
  }
}

/** The audit record of a message not delivered: ids, channel, kind, masked recipient, never the text. */
function recordMessageEvent(
  env: Env,
  type: "message.undeliverable" | "message.expired",
  reason: string,
  message: OutboundMessage,
  attempts: number,
): Promise<void> {
  const to = message.channel === "email" ? message.to.replace(/^(.).*(@.*)$/, "$1***$2") : maskPhoneNumber(message.to);
  return recordAuditEvent(env, {
    type,
    userId: message.userId ?? null,
    reason,
    detail: {
      messageId: message.id,
      channel: message.channel,
      fallback: (message.fallback ?? []).join(",") || null,
      kind: message.kind,
      to,
      attempts,
      createdAt: message.createdAt,
      ...(message.expiresAt !== undefined ? { expiresAt: message.expiresAt } : {}),
    },
  });
}
