// Sending a one-time code to a phone or an email address. The code is ALWAYS issued,
// whether or not it is then sent: an unknown target gets a challenge nobody receives,
// so the verify step fails the same way (and counts failures the same way) for known and
// unknown phones and emails — no oracle in either step.
import { config, type PhoneChannel } from "../config";
import { emailCodeMessage, phoneAccountExistsText, phoneCodeText, type CodePurposeText } from "../messages/code-texts";
import type { Locale } from "../messages/message";
import { sendMessage } from "../messages/outbox";
import { issueCode, type CodePurpose } from "./one-time-code";

export type CodeDestination = { phone: string; channel: PhoneChannel } | { email: string };

export type SendCodeInput = {
  /** Binds the code: only (purpose, target) redeems it. */
  purpose: CodePurpose;
  target: string;
  destination: CodeDestination;
  text: CodePurposeText;
  locale: Locale;
  userId: string | null;
  /** Binds the code to one flow instance too (a phone sign-up): see one-time-code.ts. */
  holder?: string;
  /** False: issue the code but send nothing (unknown account), or send `notice` instead. */
  deliver: boolean;
  notice?: "phone-account-exists";
  magicLink?: boolean;
};

/** The fallback chain for a channel, limited to the channels that are switched on. */
export function fallbackFor(env: Env, channel: PhoneChannel): PhoneChannel[] {
  const c = config(env).phone;
  return (c.fallback[channel] ?? []).filter((ch) => ch !== channel && c.channels.includes(ch));
}

export async function sendOneTimeCode(env: Env, input: SendCodeInput): Promise<void> {
  const c = config(env);
  const { code, token, expiresAt } = await issueCode(env, input.purpose, input.target, input.userId, input.holder);
  const d = input.destination;
  if ("phone" in d) {
    const extras = { fallback: fallbackFor(env, d.channel), locale: input.locale, userId: input.userId };
    if (input.deliver) await sendMessage(env, d.channel, d.phone, phoneCodeText(c, input.locale, input.text, code), { ...extras, code, expiresAt });
    else if (input.notice === "phone-account-exists") await sendMessage(env, d.channel === "telegram" ? "sms" : d.channel, d.phone, phoneAccountExistsText(c, input.locale), { ...extras, fallback: extras.fallback.filter((ch) => ch !== "telegram") });
    return;
  }
  if (input.deliver) await sendMessage(env, "email", d.email, emailCodeMessage(c, input.locale, input.text, code, input.magicLink ? token : undefined), { locale: input.locale, userId: input.userId, expiresAt });
}
