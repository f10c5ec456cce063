// Messages of the account lifecycle (README "Email change", "Deactivation", "Deletion"),
// in every language a user can choose. Security-relevant changes always tell the owner;
// these notices cannot be switched off (src/auth/preferences.ts).
import type { Config } from "../config";
import type { Locale } from "./message";
import { renderEmail, type Rendered } from "./templates";
import { formatWhen } from "./security-notices";

/** The code that confirms a new address, sent TO the new address. */
export function emailChangeCodeEmail(c: Config, locale: Locale, code: string): Rendered {
  const app = c.appName;
  return renderEmail(
    c,
    locale,
    "change-email",
    locale === "es"
      ? {
          subject: `${code} es tu código para cambiar el correo de ${app}`,
          heading: "Confirma tu nuevo correo",
          lines: [
            `Tu código para usar esta dirección en tu cuenta de ${app} es ${code}.`,
            "Caduca en 10 minutos. Si no lo has pedido, ignora este correo: no cambiará nada.",
          ],
        }
      : {
          subject: `${code} is your ${app} email change code`,
          heading: "Confirm your new email",
          lines: [
            `Your code to use this address for your ${app} account is ${code}.`,
            "It expires in 10 minutes. If you did not ask for it, ignore this email: nothing will change.",
          ],
        },
  );
}

/** Sent to the new address instead of a code when it already belongs to an account. */
export function emailInUseEmail(c: Config, locale: Locale): Rendered {
  const app = c.appName;
  return renderEmail(
    c,
    locale,
    "change-email-in-use",
    locale === "es"
      ? {
          subject: `Intento de usar tu correo en otra cuenta de ${app}`,
          heading: "Tu correo ya tiene una cuenta",
          lines: [
            `Alguien ha intentado cambiar el correo de otra cuenta de ${app} a esta dirección, que ya usa tu cuenta.`,
            "No ha cambiado nada. Si no sabes de qué se trata, puedes ignorar este correo.",
          ],
        }
      : {
          subject: `Someone tried to use your email on another ${app} account`,
          heading: "Your email already has an account",
          lines: [
            `Someone tried to change the email of another ${app} account to this address, which your account already uses.`,
            "Nothing has changed. If you do not know what this is about, you can ignore this email.",
          ],
        },
  );
}

/** To the OLD address after a change: the link reverts it (and ends every session) for 7 days. */
export function emailChangedEmail(
  c: Config,
  locale: Locale,
  facts: { newEmail: string; revertToken: string; revertUntil: number; timeZone?: string | null },
): Rendered {
  const app = c.appName;
  const url = `${c.publicUrl}/email-change/revert?token=${encodeURIComponent(facts.revertToken)}`;
  const until = formatWhen(facts.revertUntil, facts.timeZone);
  return renderEmail(
    c,
    locale,
    "email-changed",
    locale === "es"
      ? {
          subject: `Se ha cambiado el correo de tu cuenta de ${app}`,
          heading: "Se ha cambiado tu correo",
          lines: [
            `El correo de tu cuenta de ${app} ha pasado a ser ${facts.newEmail}.`,
            `Si no has sido tú, abre el enlace antes del ${until}: recupera esta dirección y cierra todas las sesiones. Después, cambia tu contraseña.`,
          ],
          action: { label: "Deshacer el cambio", url },
        }
      : {
          subject: `The email of your ${app} account was changed`,
          heading: "Your email was changed",
          lines: [
            `The email of your ${app} account is now ${facts.newEmail}.`,
            `If this was not you, open the link before ${until}: it restores this address and ends every session. Then change your password.`,
          ],
          action: { label: "Undo the change", url },
        },
  );
}

export function emailChangeRevertedEmail(c: Config, locale: Locale): Rendered {
  const app = c.appName;
  const url = `${c.publicUrl}/forgot-password`;
  return renderEmail(
    c,
    locale,
    "email-change-reverted",
    locale === "es"
      ? {
          subject: `Se ha recuperado el correo de tu cuenta de ${app}`,
          heading: "Correo recuperado",
          lines: [
            `Tu cuenta de ${app} vuelve a usar esta dirección y se han cerrado todas las sesiones.`,
            "Elige una contraseña nueva si crees que alguien la conoce.",
          ],
          action: { label: "Restablece tu contraseña", url },
        }
      : {
          subject: `The email of your ${app} account was restored`,
          heading: "Email restored",
          lines: [`Your ${app} account uses this address again, and every session was ended.`, "Choose a new password if you think someone knows it."],
          action: { label: "Reset your password", url },
        },
  );
}

export function accountDeactivatedEmail(c: Config, locale: Locale, facts: { purgeAt: number; timeZone?: string | null }): Rendered {
  const app = c.appName;
  const until = formatWhen(facts.purgeAt, facts.timeZone);
  return renderEmail(
    c,
    locale,
    "account-deactivated",
    locale === "es"
      ? {
          subject: `Tu cuenta de ${app} está desactivada`,
          heading: "Cuenta desactivada",
          lines: [
            `Has desactivado tu cuenta de ${app} y se han cerrado todas las sesiones.`,
            `Para reactivarla, inicia sesión antes del ${until}; después se eliminará. Si no has sido tú, inicia sesión, reactívala y cambia tu contraseña.`,
          ],
        }
      : {
          subject: `Your ${app} account is deactivated`,
          heading: "Account deactivated",
          lines: [
            `You deactivated your ${app} account, and every session was ended.`,
            `To reactivate it, sign in before ${until}; after that it is deleted. If this was not you, sign in, reactivate it and change your password.`,
          ],
        },
  );
}

export function accountReactivatedEmail(c: Config, locale: Locale): Rendered {
  const app = c.appName;
  return renderEmail(
    c,
    locale,
    "account-reactivated",
    locale === "es"
      ? {
          subject: `Tu cuenta de ${app} vuelve a estar activa`,
          heading: "Cuenta reactivada",
          lines: [`Se ha reactivado tu cuenta de ${app}.`, "Si no has sido tú, cambia tu contraseña y revisa tus sesiones."],
        }
      : {
          subject: `Your ${app} account is active again`,
          heading: "Account reactivated",
          lines: [`Your ${app} account was reactivated.`, "If this was not you, change your password and review your sessions."],
        },
  );
}

export function deletionScheduledEmail(c: Config, locale: Locale, facts: { at: number; timeZone?: string | null }): Rendered {
  const app = c.appName;
  const when = formatWhen(facts.at, facts.timeZone);
  return renderEmail(
    c,
    locale,
    "deletion-scheduled",
    locale === "es"
      ? {
          subject: `Tu cuenta de ${app} se eliminará`,
          heading: "Eliminación programada",
          lines: [
            `Tu cuenta de ${app} y sus datos se eliminarán el ${when}. Se han cerrado todas las sesiones.`,
            "Para cancelarlo, inicia sesión antes de esa fecha y confirma que quieres conservarla. Si no has sido tú, hazlo y cambia tu contraseña.",
          ],
        }
      : {
          subject: `Your ${app} account will be deleted`,
          heading: "Deletion scheduled",
          lines: [
            `Your ${app} account and its data will be deleted at ${when}. Every session was ended.`,
            "To cancel, sign in before then and confirm you want to keep it. If this was not you, do so and change your password.",
          ],
        },
  );
}

export function deletionCancelledEmail(c: Config, locale: Locale): Rendered {
  const app = c.appName;
  return renderEmail(
    c,
    locale,
    "deletion-cancelled",
    locale === "es"
      ? {
          subject: `Se ha cancelado la eliminación de tu cuenta de ${app}`,
          heading: "Eliminación cancelada",
          lines: [`Tu cuenta de ${app} ya no se eliminará.`],
        }
      : { subject: `Deletion of your ${app} account was cancelled`, heading: "Deletion cancelled", lines: [`Your ${app} account will no longer be deleted.`] },
  );
}
