// Email delivery over HTTP APIs, chosen by EMAIL_PROVIDER: "resend", "sendgrid" or
// "console" (development: the message is only logged and kept in the dev outbox).
import { config } from "../config";
import type { OutboundMessage } from "./message";

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False when retrying cannot help (bad request, bad credentials). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

function parseFrom(from: string): { email: string; name?: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  return m ? { email: m[2]!, ...(m[1] ? { name: m[1] } : {}) } : { email: from.trim() };
}

async function post(url: string, apiKey: string | undefined, body: unknown, provider: string): Promise<void> {
  if (!apiKey) throw new DeliveryError(`${provider}: API key secret is not set`, false);
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.ok) return;
  // 429 and 5xx are the provider's trouble: try again later. Other 4xx will not get better.
  throw new DeliveryError(`${provider} answered ${res.status}`, res.status === 429 || res.status >= 500);
}

export async function deliverEmail(env: Env, message: OutboundMessage): Promise<void> {
  const c = config(env);
  switch (c.emailProvider) {
    case "resend":
      return post(
        "https://api.resend.com/emails",
        env.RESEND_API_KEY,
        { from: c.emailFrom, to: [message.to], subject: message.subject, text: message.text, ...(message.html ? { html: message.html } : {}) },
        "resend",
      );
    case "sendgrid":
      return post(
        "https://api.sendgrid.com/v3/mail/send",
        env.SENDGRID_API_KEY,
        {
          personalizations: [{ to: [{ email: message.to }] }],
          from: parseFrom(c.emailFrom),
          subject: message.subject,
          content: [{ type: "text/plain", value: message.text }, ...(message.html ? [{ type: "text/html", value: message.html }] : [])],
        },
        "sendgrid",
      );
    case "console":
      if (!c.isDevelopment) throw new DeliveryError("EMAIL_PROVIDER=console is for development only", false);
      return;
    default:
      throw new DeliveryError(`unknown EMAIL_PROVIDER ${c.emailProvider}`, false);
  }
}
