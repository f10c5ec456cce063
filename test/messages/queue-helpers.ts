// Driving the real queue consumer from tests: one-message batches through the Worker's
// queue handler, and a spy that records what the Worker puts on the MESSAGES queue.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { vi } from "vitest";
import worker from "../../src/index";
import type { OutboundMessage } from "../../src/messages/message";

export const MESSAGES_QUEUE = "edge-auth-messages";
export const DEAD_LETTER_QUEUE = "edge-auth-messages-dlq";

const runQueue = worker.queue as unknown as (batch: MessageBatch<OutboundMessage>, env: Env, ctx: ExecutionContext) => Promise<void>;

export function batchOf(message: OutboundMessage, attempts = 1, queue = MESSAGES_QUEUE): MessageBatch<OutboundMessage> {
  return createMessageBatch<OutboundMessage>(queue, [{ id: message.id, timestamp: new Date(), attempts, body: message }]);
}

/** Runs a batch through the consumer and reports what it acked and retried. */
export async function runBatch(batch: MessageBatch<OutboundMessage>, e: Env) {
  const ctx = createExecutionContext();
  await runQueue(batch, e, ctx);
  return getQueueResult(batch, ctx);
}

export function consume(e: Env, message: OutboundMessage, attempts = 1, queue = MESSAGES_QUEUE) {
  return runBatch(batchOf(message, attempts, queue), e);
}

/** Records every message the Worker queues, and still queues it. */
export function captureQueue(): OutboundMessage[] {
  const queued: OutboundMessage[] = [];
  const send = env.MESSAGES.send.bind(env.MESSAGES);
  vi.spyOn(env.MESSAGES, "send").mockImplementation(async (body, options) => {
    queued.push(body as OutboundMessage);
    return send(body, options);
  });
  return queued;
}
