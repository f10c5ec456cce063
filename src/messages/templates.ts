// Email texts, in every language a user can choose (users.locale: en, es). Each template
// takes the RECIPIENT's language (src/http/locale.ts picks it: the account's choice,
// else the request's Accept-Language) and returns subject, plain text and HTML; codes
// and links are the only variable parts, and HTML is escaped.
import type { Config } from "../config";
import type { Locale } from "./message";

export type Rendered = { kind: string; subject: string; text: string; html: string };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function layout(c: Config, heading: string, paragraphs: string[], action?: { label: string; url: string }, locale: Locale = "en"): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("");
  const button = action
    ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:10px 16px;background:#1f4fd1;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>`
    : "";
  return `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;max-width:560px;margin:auto"><h1 style="font-size:20px">${escapeHtml(heading)}</h1>${body}${button}<p style="color:#666;font-size:12px">${escapeHtml(c.appName)}</p></body></html>`;
}

/** One email: the same lines as text and HTML, the action as a link in both. */
export type EmailText = { subject: string; heading: string; lines: string[]; action?: { label: string; url: string } };

export function renderEmail(c: Config, locale: Locale, kind: string, t: EmailText): Rendered {
  const link = t.action ? `\n\n${t.action.label}: ${t.action.url}\n` : "\n";
  return { kind, subject: t.subject, text: `${t.lines.join("\n")}${link}`, html: layout(c, t.heading, t.lines, t.action, locale) };
}

type Texts<A extends unknown[]> = Record<Locale, (app: string, ...args: A) => EmailText>;

/** A template: texts per language, rendered for the recipient's. */
const template =
  <A extends unknown[]>(kind: string, texts: Texts<A>) =>
  (c: Config, locale: Locale, ...args: A): Rendered =>
    renderEmail(c, locale, kind, texts[locale](c.appName, ...args));

export const verificationEmail = (c: Config, locale: Locale, code: string, token: string) =>
  template<[string, string]>("verify-email", {
    en: (app, code, url) => ({
      subject: `${code} is your ${app} verification code`,
      heading: "Verify your email",
      lines: [`Your ${app} verification code is ${code}.`, "It expires in 10 minutes. If you did not create an account, ignore this email."],
      action: { label: "Or open this link", url },
    }),
    es: (app, code, url) => ({
      subject: `${code} es tu código de verificación de ${app}`,
      heading: "Verifica tu correo",
      lines: [`Tu código de verificación de ${app} es ${code}.`, "Caduca en 10 minutos. Si no has creado una cuenta, ignora este correo."],
      action: { label: "O abre este enlace", url },
    }),
  })(c, locale, code, `${c.publicUrl}/verify-email?token=${encodeURIComponent(token)}`);

export const accountExistsEmail = (c: Config, locale: Locale) =>
  template<[string]>("account-exists", {
    en: (app, url) => ({
      subject: `You already have a ${app} account`,
      heading: "You already have an account",
      lines: [
        `Someone tried to create a ${app} account with this email address, but you already have one.`,
        "If it was you, sign in instead, or reset your password if you forgot it. If not, you can ignore this email.",
      ],
      action: { label: "Reset your password", url },
    }),
    es: (app, url) => ({
      subject: `Ya tienes una cuenta de ${app}`,
      heading: "Ya tienes una cuenta",
      lines: [
        `Alguien ha intentado crear una cuenta de ${app} con esta dirección de correo, pero ya tienes una.`,
        "Si fuiste tú, inicia sesión, o restablece tu contraseña si la has olvidado. Si no, puedes ignorar este correo.",
      ],
      action: { label: "Restablece tu contraseña", url },
    }),
  })(c, locale, `${c.publicUrl}/forgot-password`);

export const passwordResetEmail = (c: Config, locale: Locale, code: string, token: string) =>
  template<[string, string]>("reset-password", {
    en: (app, code, url) => ({
      subject: `${code} is your ${app} password reset code`,
      heading: "Reset your password",
      lines: [
        `Your ${app} password reset code is ${code}.`,
        "It expires in 10 minutes. If you did not ask to reset your password, ignore this email: your password has not changed.",
      ],
      action: { label: "Or open this link", url },
    }),
    es: (app, code, url) => ({
      subject: `${code} es tu código para restablecer la contraseña de ${app}`,
      heading: "Restablece tu contraseña",
      lines: [
        `Tu código para restablecer la contraseña de ${app} es ${code}.`,
        "Caduca en 10 minutos. Si no has pedido restablecer la contraseña, ignora este correo: tu contraseña no ha cambiado.",
      ],
      action: { label: "O abre este enlace", url },
    }),
  })(c, locale, code, `${c.publicUrl}/reset-password?token=${encodeURIComponent(token)}`);
