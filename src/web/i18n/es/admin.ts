// The Admin page (platform admins).
// The same keys as the English file: a missing or extra key fails the type check.
import type { admin as en } from "../en/admin";

export const admin: Record<keyof typeof en, string> = {
  "admin.users": "Usuarios",
  "admin.search": "Buscar usuarios",
  "admin.searchHint": "Correo, nombre, teléfono o id",
  "admin.searchSubmit": "Buscar",
  "admin.noUsers": "Ningún usuario coincide.",
  "admin.more": "Más",
  "admin.notFound": "Usuario no encontrado",
  "admin.back": "Todos los usuarios",
  "admin.profile": "Cuenta",
  "admin.verified": "verificado",
  "admin.unverified": "sin verificar",
  "admin.status": "Estado",
  "admin.active": "Activa",
  "admin.disabled": "Desactivada",
  "admin.created": "Creada",
  "admin.disable": "Desactivar",
  "admin.enable": "Reactivar",
  "admin.signOut": "Cerrar todas las sesiones",
  "admin.verifyEmail": "Marcar correo como verificado",
  "admin.impersonate": "Entrar como este usuario",
  "admin.resetMfa": "Restablecer la verificación en dos pasos",
  "admin.resetMfaConfirm":
    "¿Quitar todos los segundos factores de {who} (app de autenticación, códigos de recuperación, llaves de acceso)? Podrá entrar solo con su contraseña hasta que configure uno nuevo, y se le avisará por correo.",
  "admin.resetMfaApp": "Se quitaron la app de autenticación, los códigos de recuperación y {passkeys} llaves de acceso. Se avisó al usuario por correo.",
  "admin.resetMfaPasskeys": "Se quitaron {passkeys} llaves de acceso. Se avisó al usuario por correo.",
  "admin.resetMfaNone": "No había ningún segundo factor que quitar.",
  "admin.delete": "Eliminar cuenta",
  "admin.deleteConfirm": "¿Eliminar a {who} y sus membresías? No se puede deshacer.",
  "admin.deleted": "Cuenta eliminada.",
  "admin.done": "Hecho.",
  "admin.impersonating": "Estás actuando como {who} (sesión de soporte, 15 minutos; la seguridad está bloqueada).",
  "admin.endImpersonation": "Terminar",
};
