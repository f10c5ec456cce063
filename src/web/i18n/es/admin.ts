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
  "admin.delete": "Eliminar cuenta",
  "admin.deleteConfirm": "¿Eliminar a {who} y sus membresías? No se puede deshacer.",
  "admin.deleted": "Cuenta eliminada.",
  "admin.done": "Hecho.",
  "admin.impersonating": "Estás actuando como {who} (sesión de soporte, 15 minutos; la seguridad está bloqueada).",
  "admin.endImpersonation": "Terminar",
};
