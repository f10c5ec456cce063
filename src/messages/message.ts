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
};
