// Late delivery failures: Twilio status callbacks and Meta WhatsApp webhooks. A message
// the provider accepted and later reports as failed goes once through the next channel
// of the fallback chain, while its code still works; unsigned or forged reports change
// nothing. Provider HTTP is intercepted; the Limiter objects and the queue are real.
import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import worker from "../../src/index";
import type { OutboundMessage } from "../../src/messages/message";
import { metaSignature, twilioSignature } from "../../src/messages/webhook-signatures";
import { claimFallback, findProviderMessage } from "../../src/storage/provider-messages";
import { expectProblem } from "../helpers";
import { intercept, type Sent } from "../http-intercept";
import { captureQueue, consume } from "./queue-helpers";

const PHONE = "+34612345678";
const PUBLIC_URL = "https://auth.example.com";
const TWILIO_URL = `${PUBLIC_URL}/api/webhooks/twilio/status`;
const META_URL = `${PUBLIC_URL}/api/webhooks/meta/whatsapp`;
const runFetch = worker.fetch as unknown as (req: Request, env: Env, ctx: ExecutionContext) => Promise<Response>;

const twilio = {
  SMS_PROVIDER: "twilio",
  TWILIO_ACCOUNT_SID: "AC0123456789abcdef",
  TWILIO_AUTH_TOKEN: "twilio-secret",
  TWILIO_SMS_FROM: "+15005550006",
  TWILIO_WHATSAPP_FROM: "+14155238886",
  TWILIO_STATUS_CALLBACKS: "on",
};
const meta = {
  META_WHATSAPP_PHONE_NUMBER_ID: "1098765432",
  META_WHATSAPP_TOKEN: "meta-secret",
  META_APP_SECRET: "meta-app-secret",
  META_WEBHOOK_VERIFY_TOKEN: "verify-me",
};
const production = (vars: Record<string, string>) => ({ ...env, ENVIRONMENT: "production", PUBLIC_URL, ...vars }) as Env;
const viaTwilio = () => production({ ...twilio, WHATSAPP_PROVIDER: "twilio" });
const viaMeta = () => production({ ...twilio, ...meta, WHATSAPP_PROVIDER: "meta" });

function codeMessage(): OutboundMessage {
  const now = clock.now();
  return {
    id: crypto.randomUUID(),
    channel: "whatsapp",
    fallback: ["sms"],
    to: PHONE,
    subject: "Edge Auth code",
    text: "123456 is your Edge Auth sign-in code.\n\n@auth.example.com #123456",
    kind: "phone-sign-in",
    createdAt: now,
    code: "123456",
    locale: "en",
    expiresAt: now + 10 * 60_000,
  };
}

const TWILIO_API = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef/Messages.json";
const META_API = "https://graph.facebook.com/v21.0/1098765432/messages";
/** A request to a provider, and the message id the provider answered with. */
type Accepted = Sent & { id: string };
/** Provider HTTP: each accepted message gets a fresh provider id, kept on its request. */
function interceptProviders(): Accepted[] {
  const accept = (prefix: string, reply: (id: string) => Response) => (sent: Sent) =>
    reply(Object.assign(sent, { id: `${prefix}${crypto.randomUUID().replaceAll("-", "")}` }).id);
  return intercept({
    [TWILIO_API]: accept("SM", (sid) => Response.json({ sid }, { status: 201 })),
    [META_API]: accept("wamid.", (id) => Response.json({ messages: [{ id }] })),
  }) as Accepted[];
}

async function request(e: Env, url: string, init: RequestInit) {
  const res = await runFetch(new Request(url, init), e, createExecutionContext());
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, body };
}

async function twilioCallback(
  e: Env,
  fields: Record<string, string>,
  sign: (params: URLSearchParams) => Promise<string | null> = (p) => twilioSignature("twilio-secret", TWILIO_URL, p),
) {
  const params = new URLSearchParams({
    AccountSid: "AC0123456789abcdef",
    To: `whatsapp:${PHONE}`,
    From: "whatsapp:+14155238886",
    ApiVersion: "2010-04-01",
    ...fields,
  });
  const signature = await sign(params);
  return request(e, TWILIO_URL, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(signature ? { "x-twilio-signature": signature } : {}) },
    body: params.toString(),
  });
}

function metaStatusEvent(wamid: string, status: string) {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550001111", phone_number_id: "1098765432" },
              statuses: [
                {
                  id: wamid,
                  status,
                  timestamp: "1800000000",
                  recipient_id: PHONE.slice(1),
                  ...(status === "failed" ? { errors: [{ code: 131026, title: "Message undeliverable" }] } : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

async function metaCallback(e: Env, body: string, signature?: string | null) {
  const sig = signature === undefined ? await metaSignature("meta-app-secret", new TextEncoder().encode(body)) : signature;
  return request(e, META_URL, { method: "POST", headers: { "content-type": "application/json", ...(sig ? { "x-hub-signature-256": sig } : {}) }, body });
}

/** Sends a WhatsApp code message through the consumer: one provider request, acknowledged. */
async function sendWhatsApp(e: Env, sent: Accepted[], message = codeMessage()): Promise<void> {
  expect((await consume(e, message)).explicitAcks).toEqual([message.id]);
  expect(sent).toHaveLength(1);
}

describe("Twilio status callbacks", () => {
  it("the send asks for a status callback at PUBLIC_URL when TWILIO_STATUS_CALLBACKS is on", async () => {
    const sent = interceptProviders();
    await consume(viaTwilio(), codeMessage());
    expect(sent[0]!.body).toMatchObject({ StatusCallback: TWILIO_URL, To: `whatsapp:${PHONE}` });
  });

  it("failed WhatsApp -> the same code once by SMS, however often (and however concurrently) Twilio reports it", async () => {
    const e = viaTwilio();
    const sent = interceptProviders();
    const message = codeMessage();
    await sendWhatsApp(e, sent, message);
    const sid = sent[0]!.id;
    const queued = captureQueue();
    const report = { MessageSid: sid, MessageStatus: "failed", ErrorCode: "63016" };
    expect((await twilioCallback(e, report)).status).toBe(204);
    expect((await twilioCallback(e, report)).status).toBe(204);
    expect((await twilioCallback(e, { ...report, MessageStatus: "undelivered", ErrorCode: "63003" })).status).toBe(204);
    const burst = await Promise.all(Array.from({ length: 20 }, () => twilioCallback(e, report)));
    expect(burst.map((r) => r.status)).toEqual(Array(20).fill(204));
    expect(queued).toEqual([{ ...message, channel: "sms", fallback: [] }]);
    // The consumer then sends exactly that SMS.
    await consume(e, queued[0]!);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.url).toBe(TWILIO_API);
    expect(sent[1]!.body).toEqual({ To: PHONE, From: "+15005550006", Body: message.text, StatusCallback: TWILIO_URL });
  });

  it("delivered, sent, read and unknown messages change nothing", async () => {
    const e = viaTwilio();
    const sent = interceptProviders();
    await sendWhatsApp(e, sent);
    const queued = captureQueue();
    for (const status of ["queued", "sent", "delivered", "read"])
      expect((await twilioCallback(e, { MessageSid: sent[0]!.id, MessageStatus: status })).status).toBe(204);
    expect((await twilioCallback(e, { MessageSid: "SMnotours", MessageStatus: "failed" })).status).toBe(204);
    expect(queued).toEqual([]);
  });

  it("unsigned, forged, wrongly keyed or tampered reports are refused and change nothing", async () => {
    const e = viaTwilio();
    const sent = interceptProviders();
    await sendWhatsApp(e, sent);
    const queued = captureQueue();
    const report = { MessageSid: sent[0]!.id, MessageStatus: "failed" };
    expectProblem(await twilioCallback(e, report, async () => null), 401, "signature_required");
    expectProblem(await twilioCallback(e, report, async () => "bm90IGEgc2lnbmF0dXJl"), 403, "invalid_signature");
    expectProblem(await twilioCallback(e, report, (p) => twilioSignature("another-token", TWILIO_URL, p)), 403, "invalid_signature");
    expectProblem(
      await twilioCallback(e, report, (p) => twilioSignature("twilio-secret", "https://evil.example/api/webhooks/twilio/status", p)),
      403,
      "invalid_signature",
    );
    // Signed for "delivered", sent as "failed".
    expectProblem(
      await twilioCallback(e, report, (p) => {
        const q = new URLSearchParams(p);
        q.set("MessageStatus", "delivered");
        return twilioSignature("twilio-secret", TWILIO_URL, q);
      }),
      403,
      "invalid_signature",
    );
    expect(queued).toEqual([]);
    // Still a valid, unused record: the genuine report falls back.
    expect((await twilioCallback(e, report)).status).toBe(204);
    expect(queued).toHaveLength(1);
  });

  it("an expired code is not resent", async () => {
    const e = viaTwilio();
    const sent = interceptProviders();
    await sendWhatsApp(e, sent);
    const queued = captureQueue();
    clock.advance(10 * 60_000 + 1);
    expect((await twilioCallback(e, { MessageSid: sent[0]!.id, MessageStatus: "failed", ErrorCode: "63016" })).status).toBe(204);
    expect(queued).toEqual([]);
  });

  it("a failed SMS at the end of the chain has nothing to fall back to", async () => {
    const e = viaTwilio();
    const sent = interceptProviders();
    await consume(e, { ...codeMessage(), channel: "sms", fallback: [] });
    const queued = captureQueue();
    expect((await twilioCallback(e, { MessageSid: sent[0]!.id, MessageStatus: "undelivered", ErrorCode: "30003" })).status).toBe(204);
    expect(queued).toEqual([]);
  });

  it("without TWILIO_AUTH_TOKEN the route does not exist; signed but malformed reports are 400", async () => {
    expectProblem(await twilioCallback(production({}), { MessageSid: "SM1", MessageStatus: "failed" }), 404, "not_found");
    expectProblem(await twilioCallback(viaTwilio(), { MessageSid: "SM<script>", MessageStatus: "failed" }), 400, "validation_failed");
    expectProblem(await twilioCallback(viaTwilio(), { MessageSid: "SM1" }), 400, "validation_failed");
  });

  it("is exempt from the browser CSRF check (cross-site POST gets the signature check), neighbouring paths are not", async () => {
    const crossSite = { origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" };
    expectProblem(
      await request(viaTwilio(), TWILIO_URL, { method: "POST", headers: crossSite, body: "MessageSid=SM1&MessageStatus=failed" }),
      401,
      "signature_required",
    );
    expectProblem(await request(viaTwilio(), `${TWILIO_URL}x`, { method: "POST", headers: crossSite, body: "" }), 403, "csrf_rejected");
    expectProblem(
      await request(viaTwilio(), `${PUBLIC_URL}/api/webhooks/twilio/status/../../auth/login`, { method: "POST", headers: crossSite, body: "" }),
      403,
      "csrf_rejected",
    );
  });
});

describe("Meta WhatsApp webhooks", () => {
  const handshake = (e: Env, query: Record<string, string>) => request(e, `${META_URL}?${new URLSearchParams(query)}`, { method: "GET" });

  it("verification handshake: the challenge for the right verify token, 403 for a wrong one", async () => {
    const ok = await handshake(viaMeta(), { "hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444" });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(1158201444);
    expect(ok.headers.get("content-type")).toContain("text/plain");
    expectProblem(await handshake(viaMeta(), { "hub.mode": "subscribe", "hub.verify_token": "verify-you", "hub.challenge": "1" }), 403, "forbidden");
    expectProblem(await handshake(viaMeta(), { "hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1" }), 403, "forbidden");
    expectProblem(await handshake(viaMeta(), { "hub.mode": "subscribe", "hub.verify_token": "verify-me" }), 400, "validation_failed");
    expectProblem(
      await handshake(viaMeta(), { "hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "x".repeat(257) }),
      400,
      "validation_failed",
    );
    expectProblem(await handshake(production({}), { "hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1" }), 404, "not_found");
  });

  it("a signed failed status -> the code once by SMS; duplicates and delivered statuses change nothing", async () => {
    const e = viaMeta();
    const sent = interceptProviders();
    const message = codeMessage();
    await sendWhatsApp(e, sent, message);
    expect(sent[0]!.url).toBe(META_API);
    const wamid = sent[0]!.id;
    const queued = captureQueue();
    expect((await metaCallback(e, metaStatusEvent(wamid, "sent"))).status).toBe(200);
    expect((await metaCallback(e, metaStatusEvent(wamid, "delivered"))).status).toBe(200);
    expect(queued).toEqual([]);
    expect((await metaCallback(e, metaStatusEvent(wamid, "failed"))).status).toBe(200);
    expect((await metaCallback(e, metaStatusEvent(wamid, "failed"))).status).toBe(200);
    expect(queued).toEqual([{ ...message, channel: "sms", fallback: [] }]);
  });

  it("forged or unsigned events are refused and change nothing; an expired code is not resent", async () => {
    const e = viaMeta();
    const sent = interceptProviders();
    await sendWhatsApp(e, sent);
    const wamid = sent[0]!.id;
    const queued = captureQueue();
    const body = metaStatusEvent(wamid, "failed");
    expectProblem(await metaCallback(e, body, null), 401, "signature_required");
    expectProblem(await metaCallback(e, body, await metaSignature("wrong-secret", new TextEncoder().encode(body))), 403, "invalid_signature");
    expectProblem(
      await metaCallback(e, body, await metaSignature("meta-app-secret", new TextEncoder().encode(metaStatusEvent(wamid, "delivered")))),
      403,
      "invalid_signature",
    );
    expectProblem(await metaCallback(e, "{not json"), 400, "invalid_json");
    expectProblem(await metaCallback(e, JSON.stringify({ entry: "x" })), 400, "validation_failed");
    expect(queued).toEqual([]);
    clock.advance(10 * 60_000);
    expect((await metaCallback(e, body)).status).toBe(200);
    expect(queued).toEqual([]);
  });
});

describe("the provider-message record and the fallback claim", () => {
  it("the record lives in a Durable Object (read right after write), never in KV", async () => {
    const e = viaTwilio();
    const sent = interceptProviders();
    const message = codeMessage();
    await sendWhatsApp(e, sent, message);
    expect(await findProviderMessage(e, "twilio", sent[0]!.id)).toEqual({ provider: "twilio", chain: ["whatsapp", "sms"], position: 0, message });
    // KV (eventually consistent across locations) holds nothing a report depends on.
    expect((await env.KV.list({ prefix: "provider-msg:" })).keys).toEqual([]);
    // Another provider's id space is separate, and the record goes when the code expires.
    expect(await findProviderMessage(e, "meta", sent[0]!.id)).toBeNull();
    clock.advance(10 * 60_000);
    expect(await findProviderMessage(e, "twilio", sent[0]!.id)).toBeNull();
  });

  it("releasing a claim really releases it: the next claim succeeds", async () => {
    const record = { provider: "twilio" as const, chain: ["whatsapp", "sms"] as ["whatsapp", "sms"], position: 0, message: codeMessage() };
    const first = await claimFallback(env, record);
    expect(first.claimed).toBe(true);
    expect((await claimFallback(env, record)).claimed).toBe(false);
    await first.release();
    const again = await claimFallback(env, record);
    expect(again.claimed).toBe(true);
    expect((await claimFallback(env, record)).claimed).toBe(false);
  });

  it("a resend the queue refused is queued when the provider retries the report", async () => {
    const e = viaTwilio();
    const sent = interceptProviders();
    const message = codeMessage();
    await sendWhatsApp(e, sent, message);
    const queued = captureQueue();
    const send = vi.mocked(env.MESSAGES.send).getMockImplementation()!;
    vi.mocked(env.MESSAGES.send).mockImplementationOnce(async () => {
      throw new Error("queue unavailable");
    });
    const report = { MessageSid: sent[0]!.id, MessageStatus: "failed", ErrorCode: "63016" };
    // Not queued: the report fails (5xx), so Twilio retries it...
    expect((await twilioCallback(e, report)).status).toBe(500);
    expect(queued).toEqual([]);
    vi.mocked(env.MESSAGES.send).mockImplementation(send);
    // ...and the retry finds the claim released and queues the fallback, once.
    expect((await twilioCallback(e, report)).status).toBe(204);
    expect((await twilioCallback(e, report)).status).toBe(204);
    expect(queued).toEqual([{ ...message, channel: "sms", fallback: [] }]);
  });
});
