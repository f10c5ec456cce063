// Field schemas of the organization routes (names, slugs, roles, permissions).
import * as z from "zod/mini";
import { MAX_PERMISSIONS, PERMISSION, ROLE_KEY } from "../auth/org-roles";

const printable = /^[^\p{Cc}\p{Cf}]*$/u;

export const orgName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, "Enter a name."),
    z.maxLength(100, "Name is too long."),
    z.regex(printable, "Name contains characters that are not allowed."),
  );
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
export const slug = z.string().check(z.trim(), z.toLowerCase(), z.regex(SLUG, "Use 1 to 48 lower-case letters, digits and dashes (not at either end)."));
export const kind = z
  .string()
  .check(z.trim(), z.maxLength(40, "Kind is too long."), z.regex(/^[\p{L}\p{N} _-]*$/u, "Use letters, digits, spaces, dashes or underscores."));
export const roleKey = z.string().check(z.regex(ROLE_KEY, "Use 1 to 32 lower-case letters, digits, - or _, starting with a letter."));
export const roleName = z
  .string()
  .check(z.trim(), z.minLength(1, "Enter a name."), z.maxLength(60, "Name is too long."), z.regex(printable, "Name contains characters that are not allowed."));
export const permissions = z
  .array(z.string().check(z.regex(PERMISSION, 'Permissions look like "members:read" (lower case, ":"-separated).')))
  .check(z.maxLength(MAX_PERMISSIONS, `At most ${MAX_PERMISSIONS} permissions.`));

/** A URL-safe slug from a display name ("Torre Norte 3" -> "torre-norte-3"); "org" when nothing is left. */
export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return base || "org";
}
