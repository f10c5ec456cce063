// The invitation email, in English and Spanish. The organization's and inviter's names
// are user input: they go through `layout` (HTML-escaped) and are cut short, and the
// link is the only way in (the token inside is single-use and expires).
import type { Config } from "../config";
import type { Locale } from "./message";
import { layout, type Rendered } from "./templates";

export type InvitationFacts = { orgName: string; inviterName: string | null; roleName: string; token: string; expiresAt: number };

const short = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const TEXTS = {
  en: {
    subject: (org: string) => `You are invited to join ${org}`,
    heading: "You are invited",
    invited: (who: string | null, org: string, role: string) => `${who ? `${who} invited you` : "You are invited"} to join ${org} as ${role}.`,
    expires: (date: string) => `The invitation expires on ${date}. If you did not expect it, ignore this email.`,
    action: "Accept the invitation",
    open: "Open this link",
  },
  es: {
    subject: (org: string) => `Te invitan a unirte a ${org}`,
    heading: "Tienes una invitación",
    invited: (who: string | null, org: string, role: string) => `${who ? `${who} te invitó` : "Te invitan"} a unirte a ${org} como ${role}.`,
    expires: (date: string) => `La invitación vence el ${date}. Si no la esperabas, ignora este correo.`,
    action: "Aceptar la invitación",
    open: "Abre este enlace",
  },
} as const;

export function invitationEmail(c: Config, locale: Locale, f: InvitationFacts): Rendered {
  const t = TEXTS[locale];
  const url = `${c.publicUrl}/invitation?token=${encodeURIComponent(f.token)}`;
  const org = short(f.orgName);
  const date = new Date(f.expiresAt).toISOString().slice(0, 10);
  const lines = [t.invited(f.inviterName ? short(f.inviterName, 60) : null, org, short(f.roleName, 60)), t.expires(date)];
  return {
    kind: "org-invitation",
    subject: t.subject(org),
    text: `${lines.join("\n")}\n\n${t.open}: ${url}\n`,
    html: layout(c, t.heading, lines, { label: t.action, url }),
  };
}
