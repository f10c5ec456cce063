import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import { deliver } from "../../src/messages/consumer";
import type { OutboundMessage } from "../../src/messages/message";
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

type Sent = { url: string; method: string; headers: Record<string, string>; body: string };

/** Intercepts fetch; `answer` decides each reply. Returns the requests as sent. */
function interceptFetch(answer: (req: Sent, n: number) => Response = () => Response.json({ sid: "SM1" }, { status: 201 })): Sent[] {
  const sent: Sent[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const s: Sent = { url: req.url, method: req.method, headers: Object.fromEntries(req.headers), body: await req.text() };
    sent.push(s);
    return answer(s, sent.length);
  });
  return sent;
}

describe("channel adapters send exactly this", () => {
  it("Twilio SMS: Messages API, Basic auth, form body with From", async () => {
    const sent = interceptFetch();
    const msg = codeMessage();
    await deliver(withVars({ SMS_PROVIDER: "twilio", ...twilio }), msg);
    expect(sent).toEqual([
      {
        url: "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef/Messages.json",
        method: "POST",
        headers: { authorization: `Basic ${btoa("AC0123456789abcdef:twilio-secret")}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ To: PHONE, From: "+15005550006", Body: msg.text }).toString(),
      },
    ]);
  });

  it("Twilio SMS through a Messaging Service", async () => {
    const sent = interceptFetch();
    await deliver(withVars({ SMS_PROVIDER: "twilio", ...twilio, TWILIO_MESSAGING_SERVICE_SID: "MG42" }), codeMessage());
    expect(new URLSearchParams(sent[0]!.body).get("MessagingServiceSid")).toBe("MG42");
    expect(new URLSearchParams(sent[0]!.body).has("From")).toBe(false);
  });

  it("Twilio WhatsApp: whatsapp: addresses; a Content template carries the code when configured", async () => {
    const sent = interceptFetch();
    const msg = codeMessage({ channel: "whatsapp" });
    await deliver(withVars({ WHATSAPP_PROVIDER: "twilio", ...twilio }), msg);
    await deliver(withVars({ WHATSAPP_PROVIDER: "twilio", ...twilio, TWILIO_WHATSAPP_CONTENT_SID: "HX99" }), msg);
    expect(sent[0]!.body).toBe(new URLSearchParams({ To: `whatsapp:${PHONE}`, From: "whatsapp:+14155238886", Body: msg.text }).toString());
    expect(sent[1]!.body).toBe(
      new URLSearchParams({ To: `whatsapp:${PHONE}`, From: "whatsapp:+14155238886", ContentSid: "HX99", ContentVariables: '{"1":"123456"}' }).toString(),
    );
  });

  it("Meta WhatsApp Cloud API: authentication template with the code in body and button", async () => {
    const sent = interceptFetch(() => Response.json({ messages: [{ id: "wamid.1" }] }));
    await deliver(withVars({ WHATSAPP_PROVIDER: "meta", ...meta }), codeMessage({ channel: "whatsapp", locale: "es" }));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe("https://graph.facebook.com/v21.0/1098765432/messages");
    expect(sent[0]!.headers).toEqual({ authorization: "Bearer meta-secret", "content-type": "application/json" });
    expect(JSON.parse(sent[0]!.body)).toEqual({
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
    const sent = interceptFetch(() => Response.json({ ok: true, result: { request_id: "r1" } }));
    const msg = codeMessage({ channel: "telegram", createdAt: 1_800_000_000_000 });
    vi.spyOn(clock, "now").mockReturnValue(1_800_000_060_000); // delivered a minute later
    await deliver(withVars({ TELEGRAM_PROVIDER: "telegram", TELEGRAM_GATEWAY_TOKEN: "tg-secret" }), msg);
    expect(sent).toEqual([
      {
        url: "https://gatewayapi.telegram.org/sendVerificationMessage",
        method: "POST",
        headers: { authorization: "Bearer tg-secret", "content-type": "application/json" },
        body: JSON.stringify({ phone_number: PHONE, code: "123456", ttl: 540 }),
      },
    ]);
  });

  it("a missing secret is a permanent failure, and console is refused outside development", async () => {
    interceptFetch();
    await expect(deliver(withVars({ SMS_PROVIDER: "twilio" }), codeMessage())).rejects.toMatchObject({ retryable: false });
    await expect(deliver(withVars({}), codeMessage())).rejects.toMatchObject({ retryable: false });
  });
});

describe("fallback order", () => {
  it("WhatsApp -> SMS when WhatsApp refuses the number", async () => {
    const sent = interceptFetch((req) =>
      req.url.includes("graph.facebook.com")
        ? Response.json({ error: { code: 131026, message: "Message undeliverable" } }, { status: 400 })
        : Response.json({ sid: "SM1" }, { status: 201 }),
    );
    const msg = codeMessage({ channel: "whatsapp", fallback: ["sms"] });
    await deliver(withVars({ WHATSAPP_PROVIDER: "meta", SMS_PROVIDER: "twilio", ...meta, ...twilio }), msg);
    expect(sent.map((s) => new URL(s.url).hostname)).toEqual(["graph.facebook.com", "api.twilio.com"]);
    expect(new URLSearchParams(sent[1]!.body).get("Body")).toBe(msg.text);
  });

  it("Telegram -> SMS when the number has no Telegram ({ok:false} with HTTP 200)", async () => {
    const sent = interceptFetch((req) =>
      req.url.includes("telegram") ? Response.json({ ok: false, error: "PHONE_NUMBER_NOT_FOUND" }) : Response.json({ sid: "SM1" }, { status: 201 }),
    );
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
    const sent = interceptFetch(() => (up ? Response.json({ sid: "SM1" }, { status: 201 }) : new Response("unavailable", { status: 503 })));
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
    interceptFetch(() => new Response("down", { status: 500 }));
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
