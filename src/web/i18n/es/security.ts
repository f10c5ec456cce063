// The Security page: authenticator app, recovery codes, passkeys.
// The same keys as the English file: a missing or extra key fails the type check.
import type { security as en } from "../en/security";

export const security: Record<keyof typeof en, string> = {
  "security.noPhone": "Todavía no hay un número de teléfono.",

  "mfa.title": "Verificación en dos pasos",
  "mfa.off": "Desactivada. Añade una app de autenticación para que la contraseña sola no baste para entrar.",
  "mfa.on": "Activada, con una app de autenticación. Códigos de recuperación restantes: {left}.",
  "mfa.setUp": "Configurar una app de autenticación",
  "mfa.scan": "Escanea este código QR con tu app de autenticación y escribe el código de 6 dígitos que muestra.",
  "mfa.qrAlt": "Código QR para tu app de autenticación",
  "mfa.typeSecret": "¿No puedes escanearlo? Escribe esta clave:",
  "mfa.confirm": "Activar",
  "mfa.enabled": "La verificación en dos pasos está activada.",
  "mfa.disabled": "La verificación en dos pasos está desactivada.",
  "mfa.codesOnce":
    "Guarda estos códigos de recuperación en un lugar seguro. Cada uno sirve una vez, si pierdes tu app de autenticación. No se volverán a mostrar.",
  "mfa.recoveryCodes": "Códigos de recuperación",
  "mfa.download": "Descargar como archivo de texto",
  "mfa.saved": "Ya los guardé",
  "mfa.newCodes": "Crear códigos de recuperación nuevos",
  "mfa.turnOff": "Desactivar la verificación en dos pasos",

  "passkeys.title": "Llaves de acceso",
  "passkeys.none": "Aún no hay llaves de acceso. Una llave de acceso te permite entrar con tu huella, tu cara o el PIN del dispositivo.",
  "passkeys.add": "Añadir una llave de acceso",
  "passkeys.newName": "Nombre (opcional)",
  "passkeys.name": "Nombre",
  "passkeys.save": "Guardar",
  "passkeys.rename": "Renombrar",
  "passkeys.remove": "Eliminar",
  "passkeys.removeNamed": "Eliminar la llave de acceso {name}",
  "passkeys.added": "Llave de acceso añadida.",
  "passkeys.removed": "Llave de acceso eliminada.",
  "passkeys.synced": "sincronizada",
  "passkeys.device": "en un dispositivo",
  "passkeys.lastUsed": "último uso {when}",
  "passkeys.neverUsed": "sin usar",
  "passkeys.cancelled": "No se usó la llave de acceso. Inténtalo de nuevo.",
  "passkeys.unsupported": "Este navegador no puede usar llaves de acceso.",
  "passkeys.signInFailed": "No se pudo entrar con la llave de acceso. Inténtalo de nuevo o usa otra forma.",

  "security.addPhone": "Añadir un número de teléfono",
  "security.changePhone": "Cambiar el número de teléfono",
  "security.phoneVerified": "Tu número de teléfono quedó confirmado.",
};
