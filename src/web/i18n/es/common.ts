// Shared by every page: the frame, forms and fields, the password meter, phone channels, status pages, the re-authentication dialog.
// The same keys as the English file: a missing or extra key fails the type check.
import type { common as en } from "../en/common";

export const common: Record<keyof typeof en, string> = {
  "app.name": "Edge Auth",
  "app.skip": "Saltar al contenido",
  "app.language": "Idioma",
  "app.signOut": "Cerrar sesión",
  "app.offline": "Estás sin conexión. Lo que escribas se conserva; los formularios se envían cuando vuelva la conexión.",
  "app.loading": "Cargando…",
  "app.updateReady": "Hay una versión nueva. Recarga para actualizar.",

  "form.loading": "Enviando…",
  "form.offlineQueued": "Estás sin conexión. Lo enviaremos en cuanto vuelva la conexión.",
  "form.fixErrors": "Revisa los campos marcados.",
  "form.required": "Este campo es obligatorio.",
  "form.show": "Mostrar",
  "form.hide": "Ocultar",
  "form.showPassword": "Mostrar contraseña",

  "field.email": "Correo electrónico",
  "field.password": "Contraseña",
  "field.newPassword": "Contraseña nueva",
  "field.currentPassword": "Contraseña actual",
  "field.name": "Nombre (opcional)",
  "field.code": "Código de 6 dígitos",
  "field.codeHint": "Escribe el código que te enviamos. Puedes pegar el código completo.",
  "field.phone": "Número de teléfono",
  "field.country": "País",
  "field.keepOtherSessions": "Mantener abiertas mis sesiones en otros dispositivos",

  "strength.label": "Seguridad de la contraseña",
  "strength.tooShort": "Muy corta: {n} de {min} caracteres",
  "strength.weak": "Débil: evita repeticiones, secuencias y palabras comunes",
  "strength.fair": "Aceptable",
  "strength.good": "Buena",
  "strength.strong": "Fuerte",

  "notFound.title": "Página no encontrada",
  "notFound.body": "No hay nada en esta dirección.",
  "notFound.home": "Ir a la página de inicio",

  "reauth.title": "Confirma que eres tú",
  "reauth.why": "Este cambio necesita un inicio de sesión reciente. Escribe tu contraseña o un código de tu app de autenticación.",
  "reauth.failed": "No funcionó. Inténtalo de nuevo.",
  "reauth.useCode": "Usar un código de la app de autenticación",
  "reauth.usePassword": "Usar tu contraseña",
  "reauth.confirm": "Confirmar",
  "reauth.cancel": "Cancelar",

  "forbidden.title": "Acceso no permitido",
  "forbidden.body": "Tu cuenta no puede abrir esta página.",
  "forbidden.home": "Ir a tu panel",

  "form.offlineAction": "No tienes conexión. Vuelve a intentarlo cuando vuelva la conexión.",

  "field.countryHint": "Busca por nombre, prefijo (+34) o código de país (ES).",
  "field.noCountry": "Ningún país coincide.",
  "field.phoneHint": "Un número que empieza por + o 00 se lee como internacional, sea cual sea el país.",

  "form.cancel": "Cancelar",

  "channel.legend": "Enviar el código por",
  "channel.sms": "Mensaje de texto (SMS)",
  "channel.whatsapp": "WhatsApp",
  "channel.telegram": "Telegram",
};
