// WhatsApp through Meta's WhatsApp Cloud API:
// POST https://graph.facebook.com/{version}/{phone-number-id}/messages with a Bearer
// system-user token. Business-initiated messages must be approved templates; an
// "authentication" template takes the code as the body parameter and again as the
// parameter of its copy-code (URL) button. The answer's messages[0].id ("wamid.…") is what
// later webhook status events name.
import { config } from "../config";
import { DeliveryError } from "./email";
import type { OutboundMessage } from "./message";
import { postToProvider, type ProviderReceipt } from "./provider-http";

const TEMPLATE_LANGUAGE = { en: "en_US", es: "es" } as const;

export async function sendMetaWhatsApp(env: Env, message: OutboundMessage): Promise<ProviderReceipt | null> {
  const c = config(env).phone;
  if (!c.metaPhoneNumberId || !env.META_WHATSAPP_TOKEN) throw new DeliveryError("meta: META_WHATSAPP_PHONE_NUMBER_ID or META_WHATSAPP_TOKEN is not set", false);
  if (!message.code) throw new DeliveryError("meta: only code messages have a WhatsApp template", false);
  const res = await postToProvider("meta-whatsapp", `https://graph.facebook.com/${c.metaGraphVersion}/${encodeURIComponent(c.metaPhoneNumberId)}/messages`, {
    headers: { authorization: `Bearer ${env.META_WHATSAPP_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: message.to,
      type: "template",
      template: {
        name: c.metaTemplate,
        language: { code: TEMPLATE_LANGUAGE[message.locale ?? "en"] },
        components: [
          { type: "body", parameters: [{ type: "text", text: message.code }] },
          { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: message.code }] },
        ],
      },
    }),
  });
  // Delivery reports come later through the webhook (routes/webhooks.ts), only if configured.
  if (!env.META_APP_SECRET) return null;
  const id = await res.json<{ messages?: { id?: unknown }[] }>().then(
    (b) => b.messages?.[0]?.id,
    () => undefined,
  );
  return typeof id === "string" && id ? { provider: "meta", id } : null;
}
