// Telegram through the Telegram Gateway API (core.telegram.org/gateway/api):
// POST https://gatewayapi.telegram.org/sendVerificationMessage with a Bearer token and
// {phone_number, code, ttl}. Telegram renders its own localised text around our code.
// It answers HTTP 200 with {"ok": false, "error": "..."} on failure (e.g. the number has
// no Telegram account), which is a permanent failure for this channel: fall back.
import { clock } from "../clock";
import { CODE_TTL_MS } from "../auth/one-time-code";
import { DeliveryError } from "./email";
import type { OutboundMessage } from "./message";
import { postToProvider } from "./provider-http";

export async function sendTelegramCode(env: Env, message: OutboundMessage): Promise<null> {
  if (!env.TELEGRAM_GATEWAY_TOKEN) throw new DeliveryError("telegram: TELEGRAM_GATEWAY_TOKEN is not set", false);
  if (!message.code) throw new DeliveryError("telegram: the Gateway only carries verification codes", false);
  // The fee is refunded when delivery misses the ttl; allowed range 30..3600 s.
  const ttl = Math.min(3600, Math.max(30, Math.floor((message.createdAt + CODE_TTL_MS - clock.now()) / 1000)));
  const res = await postToProvider("telegram", "https://gatewayapi.telegram.org/sendVerificationMessage", {
    headers: { authorization: `Bearer ${env.TELEGRAM_GATEWAY_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ phone_number: message.to, code: message.code, ttl }),
  });
  const body = (await res.json().catch(() => null)) as { ok?: boolean; error?: string } | null;
  if (!body?.ok) throw new DeliveryError(`telegram: ${body?.error ?? "unreadable answer"}`, false);
  return null; // no receipt: the Gateway's delivery reports are not consumed
}
