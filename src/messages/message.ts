// An outbound message as it travels through the queue. Channels beyond email
// (sms, whatsapp, telegram) plug into the same shape.
export type Channel = "email" | "sms" | "whatsapp" | "telegram";

export type OutboundMessage = {
  id: string;
  channel: Channel;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the message is for (template name), for logs and audit; never the secret inside. */
  kind: string;
  createdAt: number;
  /** Channels to try, in order, when `channel` fails (phone channels only). */
  fallback?: Channel[];
  /** The one-time code on its own: WhatsApp templates and Telegram Gateway take it as a parameter. */
  code?: string;
  locale?: Locale;
  /**
   * When the one-time code inside stops working (ms since the epoch). Set on code
   * messages only; the consumer drops a message past it instead of sending a dead code
   * (queue retries with backoff can outlast the code's 10 minutes).
   */
  expiresAt?: number;
  /** For the audit record if the message is undeliverable. */
  userId?: string | null;
};

export type Locale = "en" | "es";
