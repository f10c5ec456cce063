// Roles are data: each organization gets its own copy of ORG_ROLE_TEMPLATE when it is
// created, and its roles:manage holders edit them from then on. The template is checked
// strictly: a malformed one is a configuration error that /health reports and that
// refuses org creation (503), never a silent fallback to the default.
import { oncePer } from "../model/memo";

/** What Edge Auth itself enforces on its org routes. Applications add their own strings. */
export const BUILTIN_PERMISSIONS = ["org:update", "org:delete", "members:read", "members:manage", "invitations:manage", "roles:manage"] as const;

/** The creator's role: it always holds every permission (README "Roles"). */
export const OWNER_ROLE = "owner";

export type RoleSpec = { key: string; name: string; permissions: string[] };

export const DEFAULT_ROLE_TEMPLATE: RoleSpec[] = [
  { key: OWNER_ROLE, name: "Owner", permissions: [...BUILTIN_PERMISSIONS] },
  { key: "admin", name: "Admin", permissions: ["org:update", "members:read", "members:manage", "invitations:manage", "roles:manage"] },
  { key: "member", name: "Member", permissions: ["members:read"] },
].map((r) => ({ ...r, permissions: normalizePermissions(r.key, r.permissions) }));

export const ROLE_KEY = /^[a-z][a-z0-9_-]{0,31}$/;
// "members:manage", "app:reports.read", "billing": lower case segments joined by ":".
export const PERMISSION = /^[a-z][a-z0-9_.-]{0,31}(?::[a-z0-9_.-]{1,32}){0,3}$/;
export const MAX_PERMISSIONS = 50;
export const MAX_ROLES = 30;
const ROLE_NAME = /^[^\p{Cc}\p{Cf}]{1,60}$/u;

/** A role's permissions as stored: unique, sorted; the owner always holds every built-in. */
export function normalizePermissions(key: string, permissions: readonly string[]): string[] {
  const all = key === OWNER_ROLE ? [...BUILTIN_PERMISSIONS, ...permissions] : permissions;
  return [...new Set(all)].sort();
}

export type TemplateResult = { ok: true; roles: RoleSpec[] } | { ok: false; error: string };

export function parseRoleTemplate(json: string | undefined): TemplateResult {
  if (!json?.trim()) return { ok: true, roles: DEFAULT_ROLE_TEMPLATE };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, error: "ORG_ROLE_TEMPLATE is not valid JSON." };
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_ROLES)
    return { ok: false, error: `ORG_ROLE_TEMPLATE must be a JSON array of 1 to ${MAX_ROLES} roles.` };
  const roles: RoleSpec[] = [];
  for (const [i, r] of parsed.entries()) {
    const o = r as Partial<RoleSpec> | null;
    if (typeof o !== "object" || o === null || typeof o.key !== "string" || !ROLE_KEY.test(o.key))
      return { ok: false, error: `ORG_ROLE_TEMPLATE[${i}].key must match ${ROLE_KEY}.` };
    if (typeof o.name !== "string" || !ROLE_NAME.test(o.name))
      return { ok: false, error: `ORG_ROLE_TEMPLATE[${i}].name must be 1 to 60 printable characters.` };
    if (!Array.isArray(o.permissions) || o.permissions.length > MAX_PERMISSIONS || !o.permissions.every((p) => typeof p === "string" && PERMISSION.test(p))) {
      return { ok: false, error: `ORG_ROLE_TEMPLATE[${i}].permissions must be up to ${MAX_PERMISSIONS} strings like "members:read".` };
    }
    if (roles.some((x) => x.key === o.key)) return { ok: false, error: `ORG_ROLE_TEMPLATE has the key "${o.key}" twice.` };
    roles.push({ key: o.key, name: o.name, permissions: normalizePermissions(o.key, o.permissions) });
  }
  if (!roles.some((r) => r.key === OWNER_ROLE)) return { ok: false, error: 'ORG_ROLE_TEMPLATE must contain the role "owner".' };
  return { ok: true, roles };
}

export const roleTemplate = oncePer((env: Env): TemplateResult => parseRoleTemplate(env.ORG_ROLE_TEMPLATE));
