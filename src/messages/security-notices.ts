// Notices to an account's owner about security events: a sign-in from a new device, and
// sign-in being throttled after repeated failures. They name facts (device, place, time)
// and point to the sessions page or a reset; they never contain a code or a secret.
// Times are shown in the owner's time zone when they chose one (users.time_zone).
import type { Config } from "../config";
import type { Locale } from "./message";
import { renderEmail, type Rendered } from "./templates";

export type SignInFacts = { device: string; country?: string; city?: string; ip: string; at: number; timeZone?: string | null };

const place = (f: SignInFacts, unknown: string) => [f.city, f.country].filter(Boolean).join(", ") || unknown;

/** "2026-11-30 14:05:09 Europe/Madrid" (or UTC): unambiguous in any language. */
export function formatWhen(at: number, timeZone?: string | null): string {
  const zone = timeZone || "UTC";
  try {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-CA", {
        timeZone: zone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        hourCycle: "h23",
      })
        .formatToParts(at)
        .map((p) => [p.type, p.value]),
    );
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${zone}`;
  } catch {
    return new Date(at)
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, " UTC");
  }
}

export function newDeviceEmail(c: Config, locale: Locale, facts: SignInFacts): Rendered {
  // The SPA shows sessions as a section of the account page (src/web/pages/account-sections.tsx).
  const url = `${c.publicUrl}/account#sessions`;
  const when = formatWhen(facts.at, facts.timeZone);
  const app = c.appName;
  return renderEmail(
    c,
    locale,
    "new-device",
    locale === "es"
      ? {
          subject: `Nuevo inicio de sesión en tu cuenta de ${app}`,
          heading: "Nuevo inicio de sesión",
          lines: [
            `Se acaba de iniciar sesión en tu cuenta de ${app} desde un dispositivo que no habíamos visto antes.`,
            `Dispositivo: ${facts.device}. Ubicación: ${place(facts, "desconocida")} (IP ${facts.ip}). Hora: ${when}.`,
            "Si has sido tú, no tienes que hacer nada. Si no, cierra esa sesión y cambia tu contraseña.",
          ],
          action: { label: "Revisa tus sesiones", url },
        }
      : {
          subject: `New sign-in to your ${app} account`,
          heading: "New sign-in",
          lines: [
            `Your ${app} account was just signed in to from a device we have not seen before.`,
            `Device: ${facts.device}. Location: ${place(facts, "an unknown location")} (IP ${facts.ip}). Time: ${when}.`,
            "If this was you, there is nothing to do. If not, end that session and change your password.",
          ],
          action: { label: "Review your sessions", url },
        },
  );
}

export function signInThrottledEmail(c: Config, locale: Locale, facts: { failures: number; at: number; timeZone?: string | null }): Rendered {
  const url = `${c.publicUrl}/forgot-password`;
  const when = formatWhen(facts.at, facts.timeZone);
  const app = c.appName;
  return renderEmail(
    c,
    locale,
    "sign-in-throttled",
    locale === "es"
      ? {
          subject: `Intentos fallidos de entrar en tu cuenta de ${app}`,
          heading: "Intentos fallidos de inicio de sesión",
          lines: [
            `Ha habido ${facts.failures} intentos fallidos de entrar en tu cuenta de ${app} con contraseña (el último a las ${when}).`,
            "Para protegerla, el inicio de sesión con contraseña irá más lento durante un tiempo. Tu contraseña no ha cambiado.",
            "Si has sido tú, espera un poco o restablece tu contraseña: el restablecimiento funciona al momento. Si no, considera elegir una contraseña más larga.",
          ],
          action: { label: "Restablece tu contraseña", url },
        }
      : {
          subject: `Failed sign-in attempts on your ${app} account`,
          heading: "Failed sign-in attempts",
          lines: [
            `There have been ${facts.failures} failed attempts to sign in to your ${app} account with a password (last at ${when}).`,
            "To protect it, password sign-in is slowed down for a while. Your password has not been changed.",
            "If this was you, wait a little or reset your password: a reset works at once. If not, consider choosing a longer password.",
          ],
          action: { label: "Reset your password", url },
        },
  );
}
