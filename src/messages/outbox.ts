// Sending a message = putting it on the queue. The request that asked for it never waits
// on a provider, and a provider outage loses nothing (the consumer retries, then the
// dead-letter queue keeps it). In development a copy also goes to the dev outbox.
// A channel whose provider cannot work here (a missing key, a console provider outside
// development) is refused before anything is queued or logged (src/readiness.ts).
import { clock } from "../clock";
import { config } from "../config";
import { sha256Hex } from "../auth/secrets";
import { assertChannelReady } from "../readiness";
import { getJson, kvKeys, putJson } from "../storage/kv";
import type { Channel, OutboundMessage } from "./message";
import type { Rendered } from "./templates";

const OUTBOX_TTL_SECONDS = 24 * 3600;

export type MessageExtras = Pick<OutboundMessage, "fallback" | "code" | "locale" | "userId" | "expiresAt">;

export async function sendMessage(env: Env, channel: Channel, to: string, rendered: Rendered, extras: MessageExtras = {}): Promise<void> {
  assertChannelReady(env, channel);
  const message: OutboundMessage = {
    id: crypto.randomUUID(),
    channel,
    to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    kind: rendered.kind,
    createdAt: clock.now(),
    ...extras,
  };
  if (config(env).isDevelopment) await keepInDevOutbox(env, message);
  await env.MESSAGES.send(message, { contentType: "json" });
}

// The only place a message text (codes, links) is ever logged: development, on this machine.
async function keepInDevOutbox(env: Env, message: OutboundMessage): Promise<void> {
  console.log(`[dev outbox] ${message.channel} to ${message.to}: ${message.subject}\n${message.text}`);
  await putJson(env.KV, kvKeys.outbox(sha256Hex(message.to), message.createdAt), message, OUTBOX_TTL_SECONDS);
}

export type OutboxEntry = { to: string; channel: Channel; subject: string; text: string; html?: string; createdAt: string };

/** Development only: the messages sent to `to`, newest first. */
export async function readDevOutbox(env: Env, to: string, limit = 50): Promise<OutboxEntry[]> {
  const list = await env.KV.list({ prefix: kvKeys.outboxPrefix(sha256Hex(to)), limit });
  const messages = await Promise.all(list.keys.map((k) => getJson<OutboundMessage>(env.KV, k.name)));
  return messages
    .filter((m): m is OutboundMessage => m !== null)
    .map((m) => ({
      to: m.to,
      channel: m.channel,
      subject: m.subject,
      text: m.text,
      ...(m.html ? { html: m.html } : {}),
      createdAt: new Date(m.createdAt).toISOString(),
    }));
}
