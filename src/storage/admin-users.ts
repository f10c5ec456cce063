// What the platform admin API reads and writes about users (README "Admin"): search,
// delete (disable/enable: src/auth/account-status.ts). The only place these queries live.
import type { User } from "./schema";

export type UserPage = { users: User[]; nextCursor: string | null };

type UserRow = {
  id: string;
  email: string | null;
  email_verified_at: number | null;
  name: string | null;
  created_at: number;
  updated_at: number;
  disabled_at: number | null;
  is_platform_admin: number;
  username: string | null;
  locale: string | null;
  time_zone: string | null;
  avatar_key: string | null;
  deactivated_at: number | null;
  deletion_scheduled_at: number | null;
  notification_prefs: string | null;
};
const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  emailVerifiedAt: r.email_verified_at,
  name: r.name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  disabledAt: r.disabled_at,
  isPlatformAdmin: r.is_platform_admin === 1,
  username: r.username,
  locale: r.locale,
  timeZone: r.time_zone,
  avatarKey: r.avatar_key,
  deactivatedAt: r.deactivated_at,
  deletionScheduledAt: r.deletion_scheduled_at,
  notificationPrefs: r.notification_prefs,
});

// LIKE with the user's text taken literally (a "%" in a query is a percent sign).
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * Users matching `query`: the exact id, an email starting with it, a name containing it,
 * or a phone number starting with it (digits compared, "+" optional). Newest first;
 * cursor = "<createdAt>.<id>" of the last row seen.
 */
export async function searchUsers(env: Env, query: string, cursor: string | undefined, limit = 20): Promise<UserPage> {
  const q = query.trim().toLowerCase();
  const digits = q.replace(/[\s().-]/g, "").replace(/^\+/, "");
  const conditions: string[] = [];
  const binds: unknown[] = [];
  if (q) {
    const match = ["id = ?", "email LIKE ? ESCAPE '\\'", "lower(name) LIKE ? ESCAPE '\\'"];
    binds.push(query.trim(), `${likeLiteral(q)}%`, `%${likeLiteral(q)}%`);
    if (/^\d{3,15}$/.test(digits)) {
      match.push("EXISTS (SELECT 1 FROM identities i WHERE i.user_id = users.id AND i.provider = 'phone' AND i.subject LIKE ? ESCAPE '\\')");
      binds.push(`+${digits}%`);
    }
    conditions.push(`(${match.join(" OR ")})`);
  }
  const [at, id] = (cursor ?? "").split(".");
  if (cursor && at && id) {
    conditions.push("(created_at < ? OR (created_at = ? AND id < ?))");
    binds.push(Number(at), Number(at), id);
  }
  const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const { results } = await env.DB.prepare(`SELECT * FROM users ${where} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .bind(...binds, limit + 1)
    .all<UserRow>();
  const page = results.slice(0, limit).map(toUser);
  const last = page.at(-1);
  return { users: page, nextCursor: results.length > limit && last ? `${last.createdAt}.${last.id}` : null };
}

/**
 * Deletes the user and, in the same batch, the organizations where they are the ONLY
 * member (nobody is left to own them). Memberships, identities and passwords cascade.
 * The caller has checked that no organization with other members would lose its last owner.
 */
export async function deleteUserAndSoloOrgs(env: Env, userId: string, soloOrgIds: string[]): Promise<boolean> {
  const statements = [
    ...soloOrgIds.map((orgId) =>
      env.DB.prepare("DELETE FROM organizations WHERE id = ? AND (SELECT count(*) FROM memberships WHERE org_id = ?) = 1").bind(orgId, orgId),
    ),
    env.DB.prepare("DELETE FROM users WHERE id = ?").bind(userId),
  ];
  const results = await env.DB.batch(statements);
  // changes counts cascaded rows too on D1: any change means the user row went.
  return results.at(-1)!.meta.changes > 0;
}
