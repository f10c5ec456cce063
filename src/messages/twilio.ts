// SMS and WhatsApp through Twilio's Messages API:
// POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic
// auth (AccountSid:AuthToken), form-encoded To / From (or MessagingServiceSid) / Body.
// WhatsApp uses the same endpoint with "whatsapp:" addresses; outside a 24-hour customer
// window WhatsApp only delivers approved templates, so TWILIO_WHATSAPP_CONTENT_SID sends
// the code as variable {{1}} of a Content template instead of a free-form body.
// Twilio accepting a message is not delivery: with TWILIO_STATUS_CALLBACKS = "on" each send
// names a StatusCallback URL, where a later "failed"/"undelivered" starts the fallback
// (messages/delivery-reports.ts).
import { config } from "../config";
import { DeliveryError } from "./email";
import type { OutboundMessage } from "./message";
import { postToProvider, type ProviderReceipt } from "./provider-http";

export const TWILIO_STATUS_PATH = "/api/webhooks/twilio/status";

async function twilioRequest(env: Env, form: Record<string, string>): Promise<ProviderReceipt | null> {
  const c = config(env).phone;
  if (!c.twilioAccountSid || !env.TWILIO_AUTH_TOKEN) throw new DeliveryError("twilio: TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not set", false);
  const statusCallback: Record<string, string> = c.twilioStatusCallbacks ? { StatusCallback: `${config(env).publicUrl}${TWILIO_STATUS_PATH}` } : {};
  const res = await postToProvider("twilio", `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(c.twilioAccountSid)}/Messages.json`, {
    headers: {
      authorization: `Basic ${btoa(`${c.twilioAccountSid}:${env.TWILIO_AUTH_TOKEN}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ ...form, ...statusCallback }).toString(),
  });
  if (!c.twilioStatusCallbacks) return null;
  // Accepted either way; without a sid there is just nothing to match a later report to.
  const sid = await res.json<{ sid?: unknown }>().then(
    (b) => b.sid,
    () => undefined,
  );
  return typeof sid === "string" && sid ? { provider: "twilio", id: sid } : null;
}

export async function sendTwilioSms(env: Env, message: OutboundMessage): Promise<ProviderReceipt | null> {
  const c = config(env).phone;
  const sender: Record<string, string> | null = c.twilioMessagingServiceSid
    ? { MessagingServiceSid: c.twilioMessagingServiceSid }
    : c.twilioSmsFrom
      ? { From: c.twilioSmsFrom }
      : null;
  if (!sender) throw new DeliveryError("twilio: set TWILIO_SMS_FROM or TWILIO_MESSAGING_SERVICE_SID", false);
  return twilioRequest(env, { To: message.to, ...sender, Body: message.text });
}

export async function sendTwilioWhatsApp(env: Env, message: OutboundMessage): Promise<ProviderReceipt | null> {
  const c = config(env).phone;
  if (!c.twilioWhatsappFrom) throw new DeliveryError("twilio: TWILIO_WHATSAPP_FROM is not set", false);
  const content: Record<string, string> =
    c.twilioWhatsappContentSid && message.code
      ? { ContentSid: c.twilioWhatsappContentSid, ContentVariables: JSON.stringify({ 1: message.code }) }
      : { Body: message.text };
  return twilioRequest(env, { To: `whatsapp:${message.to}`, From: `whatsapp:${c.twilioWhatsappFrom}`, ...content });
}
