// Development can never reach production: the dev outbox and the console providers work
// only when ENVIRONMENT=development AND PUBLIC_URL is a loopback origin; anything else
// is a configuration error that /health names and the request paths refuse. Missing or
// malformed signing keys are a clear 503, and no message text is ever logged outside
// development. Each case runs the real Worker with some vars changed.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { captureQueue } from "../messages/queue-helpers";
import { buildRequest, type CallOptions, readResponse, signUp, STRONG_PASSWORD, uniqueEmail } from "../helpers";
import { answer, intercept } from "../http-intercept";

const PRODUCTION = { ENVIRONMENT: "production", PUBLIC_URL: "https://auth.example.com" };
const RESEND = { EMAIL_PROVIDER: "resend", RESEND_API_KEY: "re_test_key" };
const TWILIO = {
  SMS_PROVIDER: "twilio",
  WHATSAPP_PROVIDER: "twilio",
  TWILIO_ACCOUNT_SID: "AC0123456789abcdef",
  TWILIO_AUTH_TOKEN: "twilio-secret",
  TWILIO_SMS_FROM: "+15005550006",
  TWILIO_WHATSAPP_FROM: "+14155238886",
};
/** A complete production configuration: real providers for every channel offered. */
const READY = { ...PRODUCTION, ...RESEND, ...TWILIO, PHONE_CHANNELS: "sms,whatsapp" };

async function send(vars: Record<string, string>, path: string, options: CallOptions = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(buildRequest(path, options) as Request<unknown, IncomingRequestCfProperties>, { ...env, ...vars } as Env, ctx);
  const out = await readResponse(res);
  await waitOnExecutionContext(ctx);
  return out;
}

/** Everything written to the console while `fn` runs. */
async function consoleOutput(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, level).mockImplementation((...args) => void lines.push(args.map(String).join(" ")));
  await fn();
  return lines.join("\n");
}

describe("the dev outbox", () => {
  it("404 in production, in staging, and in development with a non-loopback PUBLIC_URL", async () => {
    for (const vars of [
      READY,
      { ...READY, ENVIRONMENT: "staging" },
      { ENVIRONMENT: "development", PUBLIC_URL: "https://dev.example.com" },
      { ENVIRONMENT: "development", PUBLIC_URL: "http://10.0.0.5:8787" },
    ]) {
      const res = await send(vars, "/api/dev/outbox?to=ann@example.com");
      expect(res.status, JSON.stringify(vars)).toBe(404);
      expect(res.body.code).toBe("not_found");
    }
    // Loopback origins in development: localhost, 127.x, [::1].
    for (const PUBLIC_URL of ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"]) {
      expect((await send({ ENVIRONMENT: "development", PUBLIC_URL }, "/api/dev/outbox?to=ann@example.com")).status).toBe(200);
    }
  });

  it("production with a console provider keeps nothing in the outbox and prints nothing", async () => {
    const queued = captureQueue();
    const email = uniqueEmail();
    const output = await consoleOutput(() =>
      send({ ...PRODUCTION, EMAIL_PROVIDER: "console" }, "/api/auth/register", { json: { email, password: STRONG_PASSWORD } }),
    );
    expect(queued).toEqual([]);
    expect(output).not.toContain("[dev outbox]");
  });
});

describe("a console provider outside development is a configuration error", () => {
  it("/health answers 503 naming each failing provider", async () => {
    const res = await send(PRODUCTION, "/health");
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      status: "error",
      checks: {
        d1: "ok",
        kv: "ok",
        signingKeys: "ok",
        email: "error",
        sms: "error",
        whatsapp: "error",
        telegram: "error",
        orgRoleTemplate: "ok",
        registrationMode: "ok",
      },
    });
    const dev = await send({ ENVIRONMENT: "development", PUBLIC_URL: "https://dev.example.com" }, "/health");
    expect(dev.status).toBe(503);
    expect(dev.body.checks.email).toBe("error");
    // Only the channels offered are checked, and a real provider with its key passes.
    const ready = await send(READY, "/health");
    expect(ready.body).toEqual({
      status: "ok",
      checks: { d1: "ok", kv: "ok", signingKeys: "ok", email: "ok", sms: "ok", whatsapp: "ok", orgRoleTemplate: "ok", registrationMode: "ok" },
    });
  });

  it("sends are refused: 503 on the email routes, nothing queued, nothing created", async () => {
    const queued = captureQueue();
    const email = uniqueEmail();
    const vars = { ...READY, EMAIL_PROVIDER: "console" };
    for (const [path, json] of [
      ["/api/auth/register", { email, password: STRONG_PASSWORD }],
      ["/api/auth/resend-verification", { email }],
      ["/api/auth/password/forgot", { email }],
    ] as const) {
      const res = await send(vars, path, { json });
      expect(res.status, path).toBe(503);
      expect(res.body.code).toBe("service_misconfigured");
      expect(JSON.stringify(res.body)).not.toMatch(/console|EMAIL_PROVIDER/);
    }
    expect(queued).toEqual([]);
    expect(await env.DB.prepare("select count(*) as n from users where email = ?").bind(email).first("n")).toBe(0);
  });

  it("a code by SMS through a console provider in production: 503, nothing queued or printed; other channels still work", async () => {
    const queued = captureQueue();
    const vars = { ...READY, SMS_PROVIDER: "console" };
    let res: Awaited<ReturnType<typeof send>> | undefined;
    const output = await consoleOutput(async () => (res = await send(vars, "/api/auth/otp/send", { json: { phone: "+34611000001", channel: "sms" } })));
    expect(res!.status).toBe(503);
    expect(res!.body.code).toBe("service_misconfigured");
    expect(queued).toEqual([]);
    expect(output).not.toMatch(/\b\d{6}\b/);
    // A message that reaches sendMessage some other way is refused there too.
    const { sendMessage } = await import("../../src/messages/outbox");
    await expect(
      sendMessage({ ...env, ...vars } as Env, "sms", "+34611000001", { subject: "s", text: "123456 is your code", html: "", kind: "test" }),
    ).rejects.toThrow(/SMS_PROVIDER=console/);
    expect(queued).toEqual([]);
    expect((await send(vars, "/api/auth/otp/send", { json: { phone: "+34611000001", channel: "whatsapp" } })).status).toBe(202);
  });

  it("a real provider without its key is a configuration error too", async () => {
    const res = await send({ ...READY, RESEND_API_KEY: "" }, "/health");
    expect(res.status).toBe(503);
    expect(res.body.checks).toMatchObject({ email: "error", sms: "ok" });
    expect((await send({ ...READY, TWILIO_AUTH_TOKEN: "" }, "/health")).body.checks).toMatchObject({ email: "ok", sms: "error", whatsapp: "error" });
    expect((await send({ ...READY, EMAIL_PROVIDER: "carrier-pigeon" }, "/health")).body.checks.email).toBe("error");
  });
});

describe("signing keys", () => {
  it("missing or malformed: 503 service_misconfigured where a token is needed, and /health names it", async () => {
    const { accessToken } = await signUp();
    for (const JWT_PRIVATE_KEYS of [
      "",
      "{not json",
      "[]",
      '{"kid":"a"}',
      '[{"kid":"a","alg":"HS256"}]',
      JSON.stringify([{ ...JSON.parse(env.JWT_PRIVATE_KEYS)[0], d: undefined }]),
    ]) {
      const vars = { ...READY, JWT_PRIVATE_KEYS };
      const health = await send(vars, "/health");
      expect(health.status, JWT_PRIVATE_KEYS).toBe(503);
      expect(health.body.checks).toMatchObject({ signingKeys: "error", email: "ok" });
      for (const path of ["/api/me/token", "/.well-known/jwks.json"]) {
        const res = await send(vars, path, { token: accessToken });
        expect(res.status, `${path} with ${JWT_PRIVATE_KEYS}`).toBe(503);
        expect(res.body.code).toBe("service_misconfigured");
      }
    }
  });
});

describe("message texts are never logged outside development", () => {
  it("a sign-in code sent in production reaches the provider and no log line", async () => {
    const { email } = await signUp();
    const sent = intercept({ "https://api.resend.com/emails": answer({ id: "re_1" }) });
    const queued = captureQueue();
    const output = await consoleOutput(async () => {
      expect((await send(READY, "/api/auth/otp/send", { json: { email } })).status).toBe(202);
      // The consumer delivers it (production config: the real provider, intercepted).
      const { consume } = await import("../messages/queue-helpers");
      for (const m of queued) await consume({ ...env, ...READY } as Env, m);
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: "POST", body: { to: [email] } });
    const code = /\b(\d{6})\b/.exec(String(sent[0]!.body!.text))![1]!;
    expect(output).not.toContain(code);
    expect(output).not.toContain("token=");
  });
});
