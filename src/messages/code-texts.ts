// Localised texts for one-time codes (English and Spanish), for phones and email.
// Phone texts must fit ONE SMS segment: 160 GSM-7 septets, or only 70 characters once a
// single character falls outside GSM-7 (3GPP TS 23.038). Spanish á/í/ó/ú are not GSM-7,
// so the Spanish SMS texts are written without those accents (common practice for SMS);
// anything else (an app name with emoji) falls back to a shorter form.
// The last line is the origin-bound code for WebOTP / iOS and Android autofill:
// "@host #code" (WICG sms-one-time-codes), so the browser offers the code only on our host.
import type { Config } from "../config";
import type { Locale } from "./message";
import type { Rendered } from "./templates";

export type CodePurposeText = "sign-in" | "sign-up" | "verify-phone" | "verify-email" | "reset-password";

const PHONE: Record<Locale, Record<CodePurposeText, (app: string, code: string) => string> & { exists: (app: string) => string }> = {
  en: {
    "sign-in": (app, code) => `${code} is your ${app} sign-in code. It expires in 10 minutes. Never share it.`,
    "sign-up": (app, code) => `${code} is your ${app} code to create your account. It expires in 10 minutes.`,
    "verify-phone": (app, code) => `${code} is your ${app} code to confirm this phone. It expires in 10 minutes.`,
    "verify-email": (app, code) => `${code} is your ${app} verification code.`,
    "reset-password": (app, code) => `${code} is your ${app} password reset code. It expires in 10 minutes. Never share it.`,
    exists: (app) => `This phone already has a ${app} account. Sign in with your phone instead.`,
  },
  es: {
    "sign-in": (app, code) => `${code} es tu codigo para entrar en ${app}. Caduca en 10 minutos. No lo compartas.`,
    "sign-up": (app, code) => `${code} es tu codigo para crear tu cuenta de ${app}. Caduca en 10 minutos.`,
    "verify-phone": (app, code) => `${code} es tu codigo para confirmar este telefono en ${app}. Caduca en 10 minutos.`,
    "verify-email": (app, code) => `${code} es tu codigo de verificacion de ${app}.`,
    "reset-password": (app, code) => `${code} es tu codigo para cambiar la contrasena de ${app}. Caduca en 10 minutos. No lo compartas.`,
    exists: (app) => `Este telefono ya tiene una cuenta de ${app}. Entra con tu telefono.`,
  },
};

// GSM 03.38 basic character set, and the extension table (each costs two septets).
const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

/** True when `text` is sent as one SMS segment. */
export function fitsOneSegment(text: string): boolean {
  let septets = 0;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) septets += 1;
    else if (GSM_EXTENDED.includes(ch)) septets += 2;
    else return text.length <= 70; // UCS-2: 70 UTF-16 code units
  }
  return septets <= 160;
}

/** "es" for Spanish speakers (explicit `locale`, else Accept-Language), "en" otherwise. */
export function chooseLocale(explicit: string | undefined, acceptLanguage: string | undefined): Locale {
  const first = explicit ?? acceptLanguage?.split(",")[0];
  return first?.trim().toLowerCase().startsWith("es") ? "es" : "en";
}

/** A message to an account speaks its language (users.locale), else `fallback` (the request's). */
export function accountLocale(user: { locale: string | null } | null, fallback: Locale): Locale {
  return user?.locale === "en" || user?.locale === "es" ? user.locale : fallback;
}

const webOtpLine = (c: Config, code: string) => `@${new URL(c.publicUrl).hostname} #${code}`;

/** The SMS / WhatsApp text for a code: one segment, ending with the WebOTP line. */
export function phoneCodeText(c: Config, locale: Locale, purpose: CodePurposeText, code: string): Rendered {
  const origin = webOtpLine(c, code);
  let text = `${PHONE[locale][purpose](c.appName, code)}\n\n${origin}`;
  if (!fitsOneSegment(text)) text = `${code}\n\n${origin}`;
  return { kind: `phone-${purpose}`, subject: `${c.appName} code`, text, html: "" };
}

/** A notice instead of a code (sign-up with a phone that already has an account). */
export function phoneAccountExistsText(c: Config, locale: Locale): Rendered {
  const text = PHONE[locale].exists(c.appName);
  return { kind: "phone-account-exists", subject: `${c.appName} account`, text, html: "" };
}

const EMAIL: Record<Locale, { subject: (app: string, code: string) => string; lines: (app: string, code: string) => string[]; link: string; heading: string }> =
  {
    en: {
      subject: (app, code) => `${code} is your ${app} code`,
      lines: (app, code) => [`Your ${app} code is ${code}.`, "It expires in 10 minutes. If you did not ask for it, ignore this email."],
      link: "Or open this link to sign in",
      heading: "Your code",
    },
    es: {
      subject: (app, code) => `${code} es tu código de ${app}`,
      lines: (app, code) => [`Tu código de ${app} es ${code}.`, "Caduca en 10 minutos. Si no lo has pedido, ignora este correo."],
      link: "O abre este enlace para entrar",
      heading: "Tu código",
    },
  };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** An email with a code and, for sign-in, an optional magic link. */
export function emailCodeMessage(c: Config, locale: Locale, purpose: CodePurposeText, code: string, magicLinkToken?: string): Rendered {
  const t = EMAIL[locale];
  const lines = t.lines(c.appName, code);
  const url = magicLinkToken ? `${c.publicUrl}/sign-in/link?token=${encodeURIComponent(magicLinkToken)}` : undefined;
  const text = `${lines.join("\n")}\n${url ? `\n${t.link}: ${url}\n` : ""}`;
  const button = url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(t.link)}</a></p>` : "";
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;max-width:560px;margin:auto"><h1 style="font-size:20px">${escapeHtml(t.heading)}</h1>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}${button}<p style="color:#666;font-size:12px">${escapeHtml(c.appName)}</p></body></html>`;
  return { kind: `email-${purpose}`, subject: t.subject(c.appName, code), text, html };
}
