import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import { deliver } from "../../src/messages/consumer";
import type { OutboundMessage } from "../../src/messages/message";
import { answer, intercept, type Responder } from "../http-intercept";
import { batchOf, captureQueue, DEAD_LETTER_QUEUE, runBatch } from "./queue-helpers";

const PHONE = "+34612345678";

function codeMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: crypto.randomUUID(),
    channel: "sms",
    to: PHONE,
    subject: "Edge Auth code",
    text: "123456 is your Edge Auth sign-in code. It expires in 10 minutes. Never share it.\n\n@127.0.0.1 #123456",
    kind: "phone-sign-in",
    createdAt: clock.now(),
    code: "123456",
    locale: "en",
    ...overrides,
  };
}

const twilio = {
  TWILIO_ACCOUNT_SID: "AC0123456789abcdef",
  TWILIO_AUTH_TOKEN: "twilio-secret",
  TWILIO_SMS_FROM: "+15005550006",
  TWILIO_WHATSAPP_FROM: "+14155238886",
};
const meta = { META_WHATSAPP_PHONE_NUMBER_ID: "1098765432", META_WHATSAPP_TOKEN: "meta-secret", META_WHATSAPP_TEMPLATE: "auth_code" };
/** A fresh env object (config is cached per env object) with the given providers. */
const withVars = (vars: Record<string, string>) => ({ ...env, ENVIRONMENT: "production", ...vars }) as Env;

const TWILIO_URL = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef/Messages.json";
const META_URL = "https://graph.facebook.com/v21.0/1098765432/messages";
const TELEGRAM_URL = "https://gatewayapi.telegram.org/sendVerificationMessage";
/** The three phone providers, each accepting unless told otherwise; returns the requests as sent. */
const interceptProviders = (replies: { twilio?: Responder; meta?: Responder; telegram?: Responder } = {}) =>
  intercept({
    [TWILIO_URL]: replies.twilio ?? answer({ sid: "SM1" }, 201),
    [META_URL]: replies.meta ?? answer({ messages: [{ id: "wamid.1" }] }),
    [TELEGRAM_URL]: replies.telegram ?? answer({ ok: true, result: { request_id: "r1" } }),
  });

describe("channel adapters send exactly this", () => {
  it("Twilio SMS: Messages API, Basic auth, form body with From", async () => {
    const sent = interceptProviders();
    const msg = codeMessage();
    await deliver(withVars({ SMS_PROVIDER: "twilio", ...twilio }), msg);
    expect(sent).toEqual([
      {
        url: TWILIO_URL,
        method: "POST",
        headers: { authorization: `Basic ${btoa("AC0123456789abcdef:twilio-secret")}`, "content-type": "application/x-www-form-urlencoded" },
        body: { To: PHONE, From: "+15005550006", Body: msg.text },
      },
    ]);
  });

  it("Twilio SMS through a Messaging Service", async () => {
    const sent = interceptProviders();
    await deliver(withVars({ SMS_PROVIDER: "twilio", ...twilio, TWILIO_MESSAGING_SERVICE_SID: "MG42" }), codeMessage());
    expect(sent[0]!.body!.MessagingServiceSid).toBe("MG42");
    expect(sent[0]!.body).not.toHaveProperty("From");
  });

  it("Twilio WhatsApp: whatsapp: addresses; a Content template carries the code when configured", async () => {
    const sent = interceptProviders();
    const msg = codeMessage({ channel: "whatsapp" });
    await deliver(withVars({ WHATSAPP_PROVIDER: "twilio", ...twilio }), msg);
    await deliver(withVars({ WHATSAPP_PROVIDER: "twilio", ...twilio, TWILIO_WHATSAPP_CONTENT_SID: "HX99" }), msg);
    expect(sent.map((s) => s.body)).toEqual([
      { To: `whatsapp:${PHONE}`, From: "whatsapp:+14155238886", Body: msg.text },
      { To: `whatsapp:${PHONE}`, From: "whatsapp:+14155238886", ContentSid: "HX99", ContentVariables: '{"1":"123456"}' },
    ]);
  });

  it("Meta WhatsApp Cloud API: authentication template with the code in body and button", async () => {
    const sent = interceptProviders();
    await deliver(withVars({ WHATSAPP_PROVIDER: "meta", ...meta }), codeMessage({ channel: "whatsapp", locale: "es" }));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(META_URL);
    expect(sent[0]!.method).toBe("POST");
    expect(sent[0]!.headers).toEqual({ authorization: "Bearer meta-secret", "content-type": "application/json" });
    expect(sent[0]!.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: PHONE,
      type: "template",
      template: {
        name: "auth_code",
        language: { code: "es" },
        components: [
          { type: "body", parameters: [{ type: "text", text: "123456" }] },
          { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "123456" }] },
        ],
      },
    });
  });

  it("Telegram Gateway: sendVerificationMessage with the code and the remaining lifetime", async () => {
    const sent = interceptProviders();
    const msg = codeMessage({ channel: "telegram", createdAt: 1_800_000_000_000 });
    vi.spyOn(clock, "now").mockReturnValue(1_800_000_060_000); // delivered a minute later
    await deliver(withVars({ TELEGRAM_PROVIDER: "telegram", TELEGRAM_GATEWAY_TOKEN: "tg-secret" }), msg);
    expect(sent).toEqual([
      {
        url: TELEGRAM_URL,
        method: "POST",
        headers: { authorization: "Bearer tg-secret", "content-type": "application/json" },
        body: { phone_number: PHONE, code: "123456", ttl: 540 },
      },
    ]);
  });

  it("a missing secret is a permanent failure, and console is refused outside development", async () => {
    const sent = interceptProviders();
    await expect(deliver(withVars({ SMS_PROVIDER: "twilio" }), codeMessage())).rejects.toMatchObject({ retryable: false });
    await expect(deliver(withVars({}), codeMessage())).rejects.toMatchObject({ retryable: false });
    expect(sent).toEqual([]);
  });
});

describe("fallback order", () => {
  it("WhatsApp -> SMS when WhatsApp refuses the number", async () => {
    const sent = interceptProviders({ meta: answer({ error: { code: 131026, message: "Message undeliverable" } }, 400) });
    const msg = codeMessage({ channel: "whatsapp", fallback: ["sms"] });
    await deliver(withVars({ WHATSAPP_PROVIDER: "meta", SMS_PROVIDER: "twilio", ...meta, ...twilio }), msg);
    expect(sent.map((s) => new URL(s.url).hostname)).toEqual(["graph.facebook.com", "api.twilio.com"]);
    expect(sent[1]!.body!.Body).toBe(msg.text);
  });

  it("Telegram -> SMS when the number has no Telegram ({ok:false} with HTTP 200)", async () => {
    const sent = interceptProviders({ telegram: answer({ ok: false, error: "PHONE_NUMBER_NOT_FOUND" }) });
    await deliver(
      withVars({ TELEGRAM_PROVIDER: "telegram", TELEGRAM_GATEWAY_TOKEN: "t", SMS_PROVIDER: "twilio", ...twilio }),
      codeMessage({ channel: "telegram", fallback: ["sms"] }),
    );
    expect(sent.map((s) => new URL(s.url).hostname)).toEqual(["gatewayapi.telegram.org", "api.twilio.com"]);
  });

  it("the send route puts the configured chain (PHONE_FALLBACK) on the queued message", async () => {
    const { call } = await import("../helpers");
    const { userWithPhone } = await import("../phone-helpers");
    const { phone } = await userWithPhone();
    const queued = captureQueue();
    expect((await call("/api/auth/otp/send", { json: { phone, channel: "whatsapp" } })).status).toBe(202);
    for (let i = 0; i < 100 && queued.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(queued[0]).toMatchObject({
      channel: "whatsapp",
      fallback: ["sms"],
      to: phone,
      kind: "phone-sign-in",
      locale: "en",
      code: expect.stringMatching(/^\d{6}$/),
    });
  });
});

describe("the queue consumer", () => {
  it("retries with backoff while the provider fails, then delivers", async () => {
    let up = false;
    const sent = interceptProviders({ twilio: () => (up ? Response.json({ sid: "SM1" }, { status: 201 }) : new Response("unavailable", { status: 503 })) });
    const e = withVars({ SMS_PROVIDER: "twilio", ...twilio });
    const msg = codeMessage();
    const delays: (number | undefined)[] = [];
    for (let attempts = 1; attempts <= 3; attempts++) {
      const batch = batchOf(msg, attempts);
      // getQueueResult does not report delays; watch the retry call itself.
      const retry = vi.spyOn(batch.messages[0]!, "retry");
      const result = await runBatch(batch, e);
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages.map((r) => r.msgId)).toEqual([msg.id]);
      delays.push(retry.mock.calls[0]?.[0]?.delaySeconds);
    }
    expect(delays).toEqual([30, 60, 120]);
    up = true;
    const batch = batchOf(msg, 4);
    const result = await runBatch(batch, e);
    expect(result.explicitAcks).toEqual([msg.id]);
    expect(result.retryMessages).toEqual([]);
    expect(sent).toHaveLength(4);
  });

  it("after the last retry the dead-letter consumer records message.undeliverable; nothing is lost", async () => {
    const down = () => new Response("down", { status: 500 });
    interceptProviders({ twilio: down, meta: down, telegram: down });
    const e = withVars({ SMS_PROVIDER: "twilio", ...twilio });
    const msg = codeMessage({ channel: "whatsapp", fallback: ["sms"], userId: "user-dlq-1" });
    // max_retries = 5 in wrangler.toml: attempts 1..6 all fail and are all retried (never
    // acked); Cloudflare then moves the message to the dead-letter queue.
    for (let attempts = 1; attempts <= 6; attempts++) {
      const batch = batchOf(msg, attempts);
      const result = await runBatch(batch, e);
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages.map((r) => r.msgId)).toEqual([msg.id]);
    }
    const dlq = batchOf(msg, 1, DEAD_LETTER_QUEUE);
    expect((await runBatch(dlq, e)).explicitAcks).toEqual([msg.id]);
    const row = await env.DB.prepare("select type, reason, detail from audit_events where user_id = ? and type = 'message.undeliverable'")
      .bind("user-dlq-1")
      .first<{ reason: string; detail: string }>();
    expect(row!.reason).toBe("max_retries");
    const detail = JSON.parse(row!.detail);
    expect(detail).toMatchObject({ messageId: msg.id, channel: "whatsapp", fallback: "sms", kind: "phone-sign-in", attempts: 1 });
    expect(detail.to).not.toContain("612345");
    expect(row!.detail).not.toContain("123456");
  });

  it("the dead-letter consumer retries instead of dropping when it cannot record", async () => {
    const broken = {
      ...withVars({}),
      DB: {
        prepare: () => {
          throw new Error("D1 down");
        },
        batch: () => Promise.reject(new Error("D1 down")),
      },
    } as unknown as Env;
    const msg = codeMessage();
    const dlq = batchOf(msg, 1, DEAD_LETTER_QUEUE);
    const result = await runBatch(dlq, broken);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([msg.id]);
  });
});
