// The notice an account's owner gets whenever a way to sign in to it changes: a phone
// added, changed or removed, a provider linked or unlinked, the password changed or
// reset. Whoever holds a stolen session could otherwise add their own way in without
// the owner ever hearing of it. Facts only (which method, never a code or a secret; a
// phone number only by its last two digits), in the account's language.
import { config, type Config } from "../config";
import { accountLocale } from "./code-texts";
import type { Locale } from "./message";
import { sendMessage } from "./outbox";
import { layout, type Rendered } from "./templates";

export type SignInMethodChange =
  | { type: "phone_added" | "phone_changed" | "phone_removed"; phone: string }
  | { type: "provider_linked" | "provider_unlinked"; provider: string }
  | { type: "password_changed" | "password_reset" }
  | { type: "two_step_on" | "two_step_off" | "recovery_codes_new" }
  | { type: "passkey_added" | "passkey_removed"; name: string };

type Texts = { subject: string; heading: string; what: string };
type Words = {
  change: (app: string, ch: SignInMethodChange) => Texts;
  notYou: string;
  review: string;
  reset: string;
};

const lastDigits = (phone: string) => phone.replace(/\D/g, "").slice(-2);

const WORDS: Record<Locale, Words> = {
  en: {
    change: (app, ch) => {
      switch (ch.type) {
        case "phone_added":
          return {
            subject: `A phone was added to your ${app} account`,
            heading: "A phone was added",
            what: `The phone number ending in ${lastDigits(ch.phone)} can now be used to sign in to your ${app} account.`,
          };
        case "phone_changed":
          return {
            subject: `The phone of your ${app} account was changed`,
            heading: "Your phone was changed",
            what: `Your ${app} account's phone is now the number ending in ${lastDigits(ch.phone)}; the earlier number no longer signs in.`,
          };
        case "phone_removed":
          return {
            subject: `The phone was removed from your ${app} account`,
            heading: "Your phone was removed",
            what: `The phone number ending in ${lastDigits(ch.phone)} can no longer be used to sign in to your ${app} account.`,
          };
        case "provider_linked":
          return {
            subject: `${ch.provider} was linked to your ${app} account`,
            heading: `${ch.provider} was linked`,
            what: `Your ${app} account can now be signed in to with ${ch.provider}.`,
          };
        case "provider_unlinked":
          return {
            subject: `${ch.provider} was unlinked from your ${app} account`,
            heading: `${ch.provider} was unlinked`,
            what: `${ch.provider} can no longer be used to sign in to your ${app} account.`,
          };
        case "password_changed":
          return {
            subject: `Your ${app} password was changed`,
            heading: "Your password was changed",
            what: `The password of your ${app} account was just changed.`,
          };
        case "password_reset":
          return {
            subject: `Your ${app} password was changed`,
            heading: "Your password was reset",
            what: `The password of your ${app} account was just reset with a code sent to this address, and every session was signed out.`,
          };
        case "two_step_on":
          return {
            subject: `Two-step verification is on for your ${app} account`,
            heading: "Two-step verification is on",
            what: `Signing in to your ${app} account now also needs a code from an authenticator app (or a recovery code).`,
          };
        case "two_step_off":
          return {
            subject: `Two-step verification was turned off for your ${app} account`,
            heading: "Two-step verification is off",
            what: `Signing in to your ${app} account no longer needs a code from the authenticator app, and its recovery codes no longer work.`,
          };
        case "recovery_codes_new":
          return {
            subject: `New recovery codes for your ${app} account`,
            heading: "New recovery codes",
            what: `A new set of recovery codes was made for your ${app} account; the earlier codes no longer work.`,
          };
        case "passkey_added":
          return {
            subject: `A passkey was added to your ${app} account`,
            heading: "A passkey was added",
            what: `The passkey "${ch.name}" can now be used to sign in to your ${app} account.`,
          };
        case "passkey_removed":
          return {
            subject: `A passkey was removed from your ${app} account`,
            heading: "A passkey was removed",
            what: `The passkey "${ch.name}" can no longer be used to sign in to your ${app} account.`,
          };
      }
    },
    notYou: "If this was not you, reset your password now, then review your sessions and sign-in methods.",
    review: "Review your account",
    reset: "Reset your password",
  },
  es: {
    change: (app, ch) => {
      switch (ch.type) {
        case "phone_added":
          return {
            subject: `Se ha añadido un teléfono a tu cuenta de ${app}`,
            heading: "Se ha añadido un teléfono",
            what: `El número de teléfono terminado en ${lastDigits(ch.phone)} ya sirve para entrar en tu cuenta de ${app}.`,
          };
        case "phone_changed":
          return {
            subject: `Se ha cambiado el teléfono de tu cuenta de ${app}`,
            heading: "Se ha cambiado tu teléfono",
            what: `El teléfono de tu cuenta de ${app} es ahora el terminado en ${lastDigits(ch.phone)}; el número anterior ya no sirve para entrar.`,
          };
        case "phone_removed":
          return {
            subject: `Se ha quitado el teléfono de tu cuenta de ${app}`,
            heading: "Se ha quitado tu teléfono",
            what: `El número de teléfono terminado en ${lastDigits(ch.phone)} ya no sirve para entrar en tu cuenta de ${app}.`,
          };
        case "provider_linked":
          return {
            subject: `${ch.provider} se ha vinculado a tu cuenta de ${app}`,
            heading: `${ch.provider} se ha vinculado`,
            what: `Ahora se puede entrar en tu cuenta de ${app} con ${ch.provider}.`,
          };
        case "provider_unlinked":
          return {
            subject: `${ch.provider} se ha desvinculado de tu cuenta de ${app}`,
            heading: `${ch.provider} se ha desvinculado`,
            what: `${ch.provider} ya no sirve para entrar en tu cuenta de ${app}.`,
          };
        case "password_changed":
          return {
            subject: `Se ha cambiado la contraseña de tu cuenta de ${app}`,
            heading: "Se ha cambiado tu contraseña",
            what: `La contraseña de tu cuenta de ${app} se acaba de cambiar.`,
          };
        case "password_reset":
          return {
            subject: `Se ha cambiado la contraseña de tu cuenta de ${app}`,
            heading: "Se ha restablecido tu contraseña",
            what: `La contraseña de tu cuenta de ${app} se acaba de restablecer con un código enviado a esta dirección, y se han cerrado todas las sesiones.`,
          };
        case "two_step_on":
          return {
            subject: `La verificación en dos pasos está activada en tu cuenta de ${app}`,
            heading: "Verificación en dos pasos activada",
            what: `Para entrar en tu cuenta de ${app} ahora también hace falta un código de una app de autenticación (o un código de recuperación).`,
          };
        case "two_step_off":
          return {
            subject: `Se ha desactivado la verificación en dos pasos de tu cuenta de ${app}`,
            heading: "Verificación en dos pasos desactivada",
            what: `Para entrar en tu cuenta de ${app} ya no hace falta el código de la app de autenticación, y sus códigos de recuperación ya no sirven.`,
          };
        case "recovery_codes_new":
          return {
            subject: `Nuevos códigos de recuperación para tu cuenta de ${app}`,
            heading: "Nuevos códigos de recuperación",
            what: `Se ha creado un juego nuevo de códigos de recuperación para tu cuenta de ${app}; los anteriores ya no sirven.`,
          };
        case "passkey_added":
          return {
            subject: `Se ha añadido una llave de acceso a tu cuenta de ${app}`,
            heading: "Se ha añadido una llave de acceso",
            what: `La llave de acceso "${ch.name}" ya sirve para entrar en tu cuenta de ${app}.`,
          };
        case "passkey_removed":
          return {
            subject: `Se ha quitado una llave de acceso de tu cuenta de ${app}`,
            heading: "Se ha quitado una llave de acceso",
            what: `La llave de acceso "${ch.name}" ya no sirve para entrar en tu cuenta de ${app}.`,
          };
      }
    },
    notYou: "Si no has sido tú, restablece tu contraseña ahora y revisa tus sesiones y tus métodos de inicio de sesión.",
    review: "Revisa tu cuenta",
    reset: "Restablece tu contraseña",
  },
};

export function signInMethodChangedEmail(c: Config, locale: Locale, change: SignInMethodChange): Rendered {
  const w = WORDS[locale];
  const t = w.change(c.appName, change);
  // The dashboard's Security page lists the sign-in methods (src/web/dashboard/sections.ts).
  const account = `${c.publicUrl}/settings/security`;
  const reset = `${c.publicUrl}/forgot-password`;
  const lines = [t.what, w.notYou];
  return {
    kind: `sign-in-method-${change.type.replaceAll("_", "-")}`,
    subject: t.subject,
    text: `${lines.join("\n")}\n\n${w.review}: ${account}\n${w.reset}: ${reset}\n`,
    html: layout(c, t.heading, lines, { label: w.review, url: account }, locale),
  };
}

export type NoticeOwner = { id: string; email: string | null; locale?: string | null };

/**
 * Queues the notice to `owner` (in its language, else `fallback`, the request's). Never
 * rejects: a queue failure is logged and changes no answer. Accounts without an address
 * (phone- or provider-only) get none.
 */
export async function sendSignInMethodNotice(env: Env, owner: NoticeOwner, change: SignInMethodChange, fallback: Locale): Promise<void> {
  if (!owner.email) return;
  const locale = accountLocale({ locale: owner.locale ?? null }, fallback);
  await sendMessage(env, "email", owner.email, signInMethodChangedEmail(config(env), locale, change), { userId: owner.id, locale }).catch((e) =>
    console.error("[notice] sign-in method change not queued", change.type, e),
  );
}
