// Notices about second factors, in English and Spanish: a recovery code was used to sign
// in. Facts only (device, place, time, codes left), never a code.
import type { Config } from "../config";
import type { Locale } from "./message";
import type { SignInFacts } from "./security-notices";
import { layout, type Rendered } from "./templates";

const place = (f: SignInFacts, unknown: string) => [f.city, f.country].filter(Boolean).join(", ") || unknown;
const when = (at: number) =>
  new Date(at)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");

const TEXT = {
  en: {
    subject: (app: string) => `A recovery code was used to sign in to ${app}`,
    heading: "A recovery code was used",
    lines: (app: string, f: SignInFacts, left: number) => [
      `A recovery code was just used to sign in to your ${app} account.`,
      `Device: ${f.device}. Location: ${place(f, "an unknown location")} (IP ${f.ip}). Time: ${when(f.at)}.`,
      `Recovery codes left: ${left}. Each code works once; make a new set from the security page when you run low.`,
      "If this was not you, someone has your password and a recovery code: end that session, change your password and make new recovery codes.",
    ],
    action: "Review security",
  },
  es: {
    subject: (app: string) => `Se usó un código de recuperación para entrar en ${app}`,
    heading: "Se usó un código de recuperación",
    lines: (app: string, f: SignInFacts, left: number) => [
      `Se acaba de usar un código de recuperación para iniciar sesión en tu cuenta de ${app}.`,
      `Dispositivo: ${f.device}. Ubicación: ${place(f, "una ubicación desconocida")} (IP ${f.ip}). Hora: ${when(f.at)}.`,
      `Códigos de recuperación restantes: ${left}. Cada código sirve una vez; crea un juego nuevo desde la página de seguridad cuando te queden pocos.`,
      "Si no fuiste tú, alguien tiene tu contraseña y un código de recuperación: cierra esa sesión, cambia tu contraseña y crea códigos nuevos.",
    ],
    action: "Revisar la seguridad",
  },
} as const;

export function recoveryCodeUsedEmail(c: Config, locale: Locale, facts: SignInFacts, codesLeft: number): Rendered {
  const t = TEXT[locale];
  const url = `${c.publicUrl}/settings/security`;
  const lines = t.lines(c.appName, facts, codesLeft);
  return {
    kind: "recovery-code-used",
    subject: t.subject(c.appName),
    text: `${lines.join("\n")}\n\n${url}\n`,
    html: layout(c, t.heading, [...lines], { label: t.action, url }),
  };
}

const RESET = {
  en: {
    subject: (app: string) => `Your ${app} two-step verification was reset`,
    heading: "Two-step verification was reset",
    lines: (app: string) => [
      `An administrator of ${app} removed the second factors of your account: the authenticator app, the recovery codes and the passkeys.`,
      "You can sign in with your password or a one-time code again. Set up two-step verification again from the security page.",
      "If you did not ask for this, contact the administrator and change your password.",
    ],
    action: "Open security settings",
  },
  es: {
    subject: (app: string) => `Se restableció la verificación en dos pasos de ${app}`,
    heading: "Se restableció la verificación en dos pasos",
    lines: (app: string) => [
      `Un administrador de ${app} eliminó los segundos factores de tu cuenta: la app de autenticación, los códigos de recuperación y las llaves de acceso.`,
      "Puedes volver a entrar con tu contraseña o un código de un solo uso. Vuelve a configurar la verificación en dos pasos desde la página de seguridad.",
      "Si no lo pediste, contacta al administrador y cambia tu contraseña.",
    ],
    action: "Abrir la seguridad",
  },
} as const;

/** An administrator reset the account's second factors (src/auth/second-factor.ts resetSecondFactors). */
export function secondFactorsResetEmail(c: Config, locale: Locale): Rendered {
  const t = RESET[locale];
  const url = `${c.publicUrl}/settings/security`;
  const lines = t.lines(c.appName);
  return {
    kind: "second-factors-reset",
    subject: t.subject(c.appName),
    text: `${lines.join("\n")}\n\n${url}\n`,
    html: layout(c, t.heading, [...lines], { label: t.action, url }),
  };
}
