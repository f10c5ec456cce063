// Message texts. Each template returns subject, plain text and HTML; codes and links are
// the only variable parts, and HTML is escaped.
import type { Config } from "../config";
import type { Locale } from "./message";

export type Rendered = { kind: string; subject: string; text: string; html: string };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function layout(c: Config, heading: string, paragraphs: string[], action?: { label: string; url: string }, locale: Locale = "en"): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("");
  const button = action ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:10px 16px;background:#1f4fd1;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>` : "";
  return `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;max-width:560px;margin:auto"><h1 style="font-size:20px">${escapeHtml(heading)}</h1>${body}${button}<p style="color:#666;font-size:12px">${escapeHtml(c.appName)}</p></body></html>`;
}

export function verificationEmail(c: Config, code: string, token: string): Rendered {
  const url = `${c.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
  const lines = [`Your ${c.appName} verification code is ${code}.`, "It expires in 10 minutes. If you did not create an account, ignore this email."];
  return {
    kind: "verify-email",
    subject: `${code} is your ${c.appName} verification code`,
    text: `${lines.join("\n")}\n\nOr open this link: ${url}\n`,
    html: layout(c, "Verify your email", lines, { label: "Verify email", url }),
  };
}

export function accountExistsEmail(c: Config): Rendered {
  const url = `${c.publicUrl}/forgot-password`;
  const lines = [
    `Someone tried to create a ${c.appName} account with this email address, but you already have one.`,
    "If it was you, sign in instead, or reset your password if you forgot it. If not, you can ignore this email.",
  ];
  return {
    kind: "account-exists",
    subject: `You already have a ${c.appName} account`,
    text: `${lines.join("\n")}\n\nReset your password: ${url}\n`,
    html: layout(c, "You already have an account", lines, { label: "Reset password", url }),
  };
}

export function passwordResetEmail(c: Config, code: string, token: string): Rendered {
  const url = `${c.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
  const lines = [`Your ${c.appName} password reset code is ${code}.`, "It expires in 10 minutes. If you did not ask to reset your password, ignore this email: your password has not changed."];
  return {
    kind: "reset-password",
    subject: `${code} is your ${c.appName} password reset code`,
    text: `${lines.join("\n")}\n\nOr open this link: ${url}\n`,
    html: layout(c, "Reset your password", lines, { label: "Choose a new password", url }),
  };
}
