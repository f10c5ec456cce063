// Email adapters and the queue consumer, with third-party HTTP intercepted at fetch.
// The exact request each provider receives is asserted.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { backoffSeconds, deliver } from "../../src/messages/consumer";
import { DeliveryError } from "../../src/messages/email";
import type { OutboundMessage } from "../../src/messages/message";
import { answer, intercept } from "../http-intercept";

const message: OutboundMessage = {
  id: "msg-1",
  channel: "email",
  to: "ann@example.com",
  subject: "123456 is your Edge Auth verification code",
  text: "Your code is 123456.",
  html: "<p>Your code is 123456.</p>",
  kind: "verify-email",
  createdAt: 1_700_000_000_000,
};

// The entry's queue handler takes (batch, env); the runtime also passes ctx, which
// getQueueResult needs to see.
const queue = worker.queue as unknown as (batch: MessageBatch<OutboundMessage>, env: Env, ctx: ExecutionContext) => Promise<void>;

const withEnv = (vars: Record<string, string>) => ({ ...env, ENVIRONMENT: "production", EMAIL_FROM: "Edge Auth <no-reply@auth.example>", ...vars }) as Env;

/** Both email APIs, answering `status`; returns the requests they received. */
const interceptProviders = (status = 200) => {
  const reply = answer(status < 300 ? { id: "x" } : { error: "x" }, status);
  return intercept({ "https://api.resend.com/emails": reply, "https://api.sendgrid.com/v3/mail/send": reply });
};

describe("email providers", () => {
  it("resend: POST https://api.resend.com/emails with the exact body", async () => {
    const requests = interceptProviders();
    await deliver(withEnv({ EMAIL_PROVIDER: "resend", RESEND_API_KEY: "re_test_key" }), message);
    expect(requests).toEqual([
      {
        url: "https://api.resend.com/emails",
        method: "POST",
        headers: { authorization: "Bearer re_test_key", "content-type": "application/json" },
        body: { from: "Edge Auth <no-reply@auth.example>", to: ["ann@example.com"], subject: message.subject, text: message.text, html: message.html },
      },
    ]);
  });

  it("sendgrid: POST https://api.sendgrid.com/v3/mail/send with the exact body", async () => {
    const requests = interceptProviders(202);
    await deliver(withEnv({ EMAIL_PROVIDER: "sendgrid", SENDGRID_API_KEY: "SG.test" }), message);
    expect(requests).toEqual([
      {
        url: "https://api.sendgrid.com/v3/mail/send",
        method: "POST",
        headers: { authorization: "Bearer SG.test", "content-type": "application/json" },
        body: {
          personalizations: [{ to: [{ email: "ann@example.com" }] }],
          from: { email: "no-reply@auth.example", name: "Edge Auth" },
          subject: message.subject,
          content: [
            { type: "text/plain", value: message.text },
            { type: "text/html", value: message.html },
          ],
        },
      },
    ]);
  });

  it("a missing API key is a permanent failure and sends nothing", async () => {
    const requests = interceptProviders();
    await expect(deliver(withEnv({ EMAIL_PROVIDER: "resend" }), message)).rejects.toMatchObject({ name: "DeliveryError", retryable: false });
    expect(requests).toEqual([]);
  });

  it("5xx and 429 are retryable; other 4xx are not", async () => {
    for (const [status, retryable] of [
      [500, true],
      [503, true],
      [429, true],
      [400, false],
      [401, false],
    ] as const) {
      interceptProviders(status);
      const error = await deliver(withEnv({ EMAIL_PROVIDER: "resend", RESEND_API_KEY: "k" }), message).catch((e) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error.retryable).toBe(retryable);
    }
  });

  it("the console provider is refused outside development", async () => {
    const requests = interceptProviders();
    await expect(deliver(withEnv({ EMAIL_PROVIDER: "console" }), message)).rejects.toThrow(/development only/);
    await expect(deliver({ ...withEnv({ EMAIL_PROVIDER: "console" }), ENVIRONMENT: "development" } as Env, message)).resolves.toBeUndefined();
    await expect(deliver(withEnv({ EMAIL_PROVIDER: "carrier-pigeon" }), message)).rejects.toThrow(/unknown EMAIL_PROVIDER/);
    expect(requests).toEqual([]);
  });
});

describe("queue consumer", () => {
  const batchOf = (attempts: number[]) =>
    createMessageBatch<OutboundMessage>(
      "edge-auth-messages",
      attempts.map((a, i) => ({ id: `m${i}`, timestamp: new Date(1_700_000_000_000), attempts: a, body: { ...message, id: `m${i}` } })),
    );

  it("acks delivered messages", async () => {
    const requests = interceptProviders();
    const batch = batchOf([1, 1]);
    const ctx = createExecutionContext();
    await queue(batch, withEnv({ EMAIL_PROVIDER: "resend", RESEND_API_KEY: "k" }), ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1"]);
    expect(result.retryMessages).toEqual([]);
    expect(requests).toHaveLength(2);
  });

  it("a provider 5xx retries each message with exponential backoff", async () => {
    interceptProviders(503);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const batch = batchOf([1, 2, 4]);
    // The test harness records which messages were retried but not the delay: spy on it.
    const retries = batch.messages.map((m) => vi.spyOn(m, "retry"));
    const ctx = createExecutionContext();
    await queue(batch, withEnv({ EMAIL_PROVIDER: "sendgrid", SENDGRID_API_KEY: "k" }), ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m0", "m1", "m2"]);
    expect(retries.map((spy) => spy.mock.calls)).toEqual([[[{ delaySeconds: 30 }]], [[{ delaySeconds: 60 }]], [[{ delaySeconds: 240 }]]]);
    expect([1, 2, 3, 8, 9, 20].map(backoffSeconds)).toEqual([30, 60, 120, 3600, 3600, 3600]);
  });

  it("the dead-letter queue logs and acks", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const batch = createMessageBatch<OutboundMessage>("edge-auth-messages-dlq", [{ id: "d1", timestamp: new Date(), attempts: 1, body: message }]);
    const ctx = createExecutionContext();
    await queue(batch, withEnv({}), ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["d1"]);
    expect(errors.mock.calls.join()).toContain("undeliverable");
  });
});
