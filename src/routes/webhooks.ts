// Delivery reports from the messaging providers (server to server, no browser): a
// WhatsApp message the provider accepted can still fail later, and the report is what
// starts the fallback to the next channel (messages/delivery-reports.ts). Each request is
// authenticated by its provider's HMAC signature before anything is read from it; a
// missing one is 401, a wrong one 403, and neither changes anything. A route whose secret
// is not configured does not exist (404).
import { Hono, type Context } from "hono";
import * as z from "zod/mini";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { safeEqual } from "../auth/secrets";
import { describeRoute, describeRoutes } from "../http/openapi";
import { fallBackAfterFailedDelivery } from "../messages/delivery-reports";
import { isMetaSignatureValid, isTwilioSignatureValid } from "../messages/webhook-signatures";

export const webhookRoutes = new Hono<AppEnv>();
describeRoutes(webhookRoutes, { tags: ["Provider webhooks"] });

/** Twilio's final "not delivered" states (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values). */
const TWILIO_FAILED = new Set(["failed", "undelivered"]);

function signatureFrom(c: Context<AppEnv>, header: string): string {
  const signature = c.req.header(header);
  if (!signature) throw new ApiError("signature_required", { detail: `Missing ${header}.` });
  return signature;
}

// ---------------------------------------------------------------------------
describeRoute(webhookRoutes, {
  summary:
    "Twilio status callback (form-encoded MessageSid, MessageStatus, ErrorCode), signed with X-Twilio-Signature. A failed or undelivered message is sent once through the next channel of PHONE_FALLBACK while its code is valid. Needs TWILIO_AUTH_TOKEN.",
  responses: {
    204: "Accepted (also for statuses that need nothing)",
    400: "validation_failed",
    401: "signature_required",
    403: "invalid_signature",
    404: "not_found (TWILIO_AUTH_TOKEN not set)",
  },
});
webhookRoutes.post("/twilio/status", async (c) => {
  const authToken = c.env.TWILIO_AUTH_TOKEN;
  if (!authToken) throw new ApiError("not_found");
  const signature = signatureFrom(c, "x-twilio-signature");
  // Decoded by hand: workerd warns on .text() of a form body.
  const params = new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()));
  // Twilio signs the URL it called: the StatusCallback we gave it, built from PUBLIC_URL.
  const url = new URL(c.req.url);
  if (!(await isTwilioSignatureValid(authToken, `${config(c.env).publicUrl}${url.pathname}${url.search}`, params, signature)))
    throw new ApiError("invalid_signature");
  const sid = params.get("MessageSid") ?? "";
  const status = params.get("MessageStatus") ?? "";
  if (!/^[A-Za-z0-9]{2,64}$/.test(sid) || !status) throw new ApiError("validation_failed", { detail: "MessageSid and MessageStatus are required." });
  if (TWILIO_FAILED.has(status)) await fallBackAfterFailedDelivery(c.env, "twilio", sid, `${status} ${params.get("ErrorCode") ?? ""}`.trim());
  return c.body(null, 204);
});

// ---------------------------------------------------------------------------
const Handshake = z.object({ "hub.mode": z.string(), "hub.verify_token": z.string(), "hub.challenge": z.string().check(z.maxLength(256)) });
describeRoute(webhookRoutes, {
  query: Handshake,
  summary: "Meta webhook verification: answers hub.challenge (text/plain) when hub.mode is subscribe and hub.verify_token equals META_WEBHOOK_VERIFY_TOKEN.",
  responses: { 200: "The challenge", 400: "validation_failed", 403: "forbidden (wrong verify token)", 404: "not_found (META_WEBHOOK_VERIFY_TOKEN not set)" },
});
webhookRoutes.get("/meta/whatsapp", (c) => {
  const expected = c.env.META_WEBHOOK_VERIFY_TOKEN;
  if (!expected) throw new ApiError("not_found");
  const q = Handshake.safeParse(c.req.query());
  if (!q.success) throw new ApiError("validation_failed", { detail: "hub.mode, hub.verify_token and hub.challenge (at most 256 characters) are required." });
  if (q.data["hub.mode"] !== "subscribe" || !safeEqual(q.data["hub.verify_token"], expected)) throw new ApiError("forbidden");
  return c.text(q.data["hub.challenge"], 200);
});

// Only the parts this route reads; Meta sends much more (messages, pricing, conversation).
const MetaEvent = z.object({
  entry: z.optional(
    z.array(
      z.object({
        changes: z.optional(
          z.array(
            z.object({
              value: z.optional(
                z.object({
                  statuses: z.optional(
                    z.array(z.object({ id: z.string(), status: z.string(), errors: z.optional(z.array(z.object({ code: z.optional(z.number()) }))) })),
                  ),
                }),
              ),
            }),
          ),
        ),
      }),
    ),
  ),
});
describeRoute(webhookRoutes, {
  summary:
    'Meta WhatsApp Cloud API webhook, signed with X-Hub-Signature-256 (META_APP_SECRET). A status "failed" sends the message once through the next channel of PHONE_FALLBACK while its code is valid.',
  responses: {
    200: "Accepted",
    400: "invalid_json or validation_failed",
    401: "signature_required",
    403: "invalid_signature",
    404: "not_found (META_APP_SECRET not set)",
  },
});
webhookRoutes.post("/meta/whatsapp", async (c) => {
  const appSecret = c.env.META_APP_SECRET;
  if (!appSecret) throw new ApiError("not_found");
  const signature = signatureFrom(c, "x-hub-signature-256");
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (!(await isMetaSignatureValid(appSecret, raw, signature))) throw new ApiError("invalid_signature");
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new ApiError("invalid_json");
  }
  const event = MetaEvent.safeParse(json);
  if (!event.success) throw new ApiError("validation_failed", { detail: "Not a WhatsApp Business Account webhook event." });
  const failed = (event.data.entry ?? [])
    .flatMap((e) => e.changes ?? [])
    .flatMap((ch) => ch.value?.statuses ?? [])
    .filter((s) => s.status === "failed");
  for (const s of failed) await fallBackAfterFailedDelivery(c.env, "meta", s.id, `failed ${s.errors?.map((e) => e.code).join(",") ?? ""}`.trim());
  return c.body(null, 200);
});
