// A one-time-code message that reaches the consumer after its code expired (queue retries
// with backoff can outlast the code's 10 minutes) is acknowledged unsent and audited as
// message.expired; before that moment it is delivered as usual.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { CODE_TTL_MS } from "../../src/auth/one-time-code";
import { clock } from "../../src/clock";
import type { OutboundMessage } from "../../src/messages/message";
import { call, uniqueEmail } from "../helpers";
import { answer, intercept } from "../http-intercept";
import { userWithPhone } from "../phone-helpers";
import { captureQueue, consume } from "./queue-helpers";

const twilio = { SMS_PROVIDER: "twilio", TWILIO_ACCOUNT_SID: "AC0123456789abcdef", TWILIO_AUTH_TOKEN: "twilio-secret", TWILIO_SMS_FROM: "+15005550006" };
const production = () => ({ ...env, ENVIRONMENT: "production", ...twilio }) as Env;

const stubTwilio = () => intercept({ "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef/Messages.json": answer({ sid: "SM1" }, 201) });

/** The code's expiry: issued just before the message was built, so within a second of createdAt + 10 min. */
function expectCodeExpiry(m: OutboundMessage) {
  expect(m.expiresAt).toBeGreaterThan(m.createdAt + CODE_TTL_MS - 1000);
  expect(m.expiresAt).toBeLessThanOrEqual(m.createdAt + CODE_TTL_MS);
}

async function waitFor<T>(list: T[]): Promise<T> {
  for (let i = 0; i < 100 && list.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(list.length).toBeGreaterThan(0);
  return list[0]!;
}

describe("expired one-time-code messages", () => {
  it("code messages carry the code's expiry; other messages do not", async () => {
    const { phone, email } = await userWithPhone();
    let queued = captureQueue();
    expect((await call("/api/auth/otp/send", { json: { phone } })).status).toBe(202);
    const sms = await waitFor(queued);
    expect(sms.code).toMatch(/^\d{6}$/);
    expectCodeExpiry(sms);

    vi.restoreAllMocks();
    queued = captureQueue();
    expect((await call("/api/auth/password/forgot", { json: { email } })).status).toBe(202);
    const reset = await waitFor(queued);
    expect(reset.kind).toMatch(/reset/);
    expectCodeExpiry(reset);

    vi.restoreAllMocks();
    queued = captureQueue();
    const fresh = uniqueEmail();
    await call("/api/auth/register", { json: { email: fresh, password: "correct horse battery staple 42" } });
    const verification = await waitFor(queued);
    expectCodeExpiry(verification);
  });

  it("delivers before the code expires, and after it acks without sending and audits message.expired", async () => {
    const { phone, user } = await userWithPhone();
    const queued = captureQueue();
    await call("/api/auth/otp/send", { json: { phone } });
    const message = await waitFor(queued);
    const sent = stubTwilio();

    clock.advance(CODE_TTL_MS - 1000);
    const inTime = await consume(production(), message, 3);
    expect(inTime.explicitAcks).toEqual([message.id]);
    expect(sent.map((s) => s.body!.To)).toEqual([phone]);

    clock.advance(1000);
    const late = await consume(production(), message, 6);
    expect(late.explicitAcks).toEqual([message.id]);
    expect(late.retryMessages).toEqual([]);
    expect(sent).toHaveLength(1); // nothing more reached the provider
    const row = await env.DB.prepare("select reason, detail from audit_events where user_id = ? and type = 'message.expired'")
      .bind(user.id)
      .first<{ reason: string; detail: string }>();
    expect(row!.reason).toBe("code_expired");
    expect(JSON.parse(row!.detail)).toMatchObject({ messageId: message.id, channel: "sms", kind: message.kind, attempts: 6, expiresAt: message.expiresAt });
    expect(row!.detail).not.toContain(message.code!);
    expect(row!.detail).not.toContain(phone.slice(4));
  });

  it("retries rather than dropping silently when the audit record cannot be written", async () => {
    const message: OutboundMessage = {
      id: crypto.randomUUID(),
      channel: "sms",
      to: "+34612345678",
      subject: "code",
      text: "123456",
      kind: "phone-sign-in",
      createdAt: clock.now(),
      code: "123456",
      expiresAt: clock.now() - 1,
    };
    const sent = stubTwilio();
    const broken = {
      ...production(),
      DB: {
        prepare: () => {
          throw new Error("D1 down");
        },
        batch: () => Promise.reject(new Error("D1 down")),
      },
    } as unknown as Env;
    const result = await consume(broken, message, 2);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([message.id]);
    expect(sent).toHaveLength(0);
  });
});
