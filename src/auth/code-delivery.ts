// Sending a one-time code to a phone or an email address. The code is ALWAYS issued,
// whether or not it is then sent: an unknown target gets a challenge nobody receives,
// so the verify step fails the same way (and counts failures the same way) for known and
// unknown phones and emails — no oracle in either step.
import { config, type PhoneChannel } from "../config";
import { emailCodeMessage, phoneAccountExistsText, phoneCodeText, type CodePurposeText } from "../messages/code-texts";
import type { Locale } from "../messages/message";
import { sendMessage } from "../messages/outbox";
import { chargeRateLimit } from "../guard/rate-limit";
import { issueCode, type CodePurpose } from "./one-time-code";
import { phoneMetadata } from "./phone-metadata";
import { parsePhoneNumber } from "./phone-number";

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
    if ((input.deliver || input.notice) && !(await countryBudgetAllows(env, d.phone))) return;
    if (input.deliver) await sendMessage(env, d.channel, d.phone, phoneCodeText(c, input.locale, input.text, code), { ...extras, code, expiresAt });
    else if (input.notice === "phone-account-exists")
      await sendMessage(env, d.channel === "telegram" ? "sms" : d.channel, d.phone, phoneAccountExistsText(c, input.locale), {
        ...extras,
        fallback: extras.fallback.filter((ch) => ch !== "telegram"),
      });
    return;
  }
  if (input.deliver)
    await sendMessage(env, "email", d.email, emailCodeMessage(c, input.locale, input.text, code, input.magicLink ? token : undefined), {
      locale: input.locale,
      userId: input.userId,
      expiresAt,
    });
}

/**
 * The per-country SMS budget (policy "code.send-phone", rule by country) is charged here,
 * for a message about to be queued, and nowhere else: a request refused by another rule,
 * or a code "sent" to a number nobody owns, costs the country nothing. When it is spent
 * the message is dropped (the caller already answered the same 202 as always).
 */
async function countryBudgetAllows(env: Env, e164: string): Promise<boolean> {
  // The routes already parsed this number with the same metadata (a cached asset read).
  const parsed = parsePhoneNumber(await phoneMetadata(env), e164, undefined, []);
  if (!parsed.ok) return true;
  const charge = await chargeRateLimit(env, "code.send-phone", { country: `+${parsed.callingCode}` });
  if (charge && !charge.allowed) {
    console.warn(`[messages] per-country budget spent for +${parsed.callingCode}: message not sent`);
    return false;
  }
  return true;
}
