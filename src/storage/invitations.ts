// Invitations in D1. The only place that queries the invitations table. A token is
// found by its SHA-256 only; redeeming it is a guarded UPDATE that swaps the hash for a
// per-redemption marker, so of any number of parallel redemptions exactly one changes
// the row, and the membership insert in the same batch keys on that marker.
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { clock } from "../clock";
import { randomToken } from "../auth/secrets";
import { db } from "./db";
import { invitations, organizations, type Invitation } from "./schema";
import { normalizeEmail } from "./users";

export type PendingInvitation = Invitation & { orgName: string; orgSlug: string };

const pending = (now: number) => and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));
// The same condition in SQL for the hand-written guarded statements (?now bound by each).
const PENDING_SQL = "accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?";

export async function createInvitation(
  env: Env,
  input: { id: string; orgId: string; email: string; roleKey: string; tokenHash: string; expiresAt: number; invitedBy: string },
): Promise<Invitation> {
  const row: Invitation = { ...input, email: normalizeEmail(input.email), acceptedAt: null, acceptedBy: null, revokedAt: null, createdAt: clock.now() };
  await db(env).insert(invitations).values(row);
  return row;
}

export async function listPendingInvitations(env: Env, orgId: string): Promise<Invitation[]> {
  return db(env)
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), pending(clock.now())))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(200)
    .all();
}

export async function findPendingInvitation(env: Env, orgId: string, id: string): Promise<Invitation | null> {
  return (
    (await db(env)
      .select()
      .from(invitations)
      .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id), pending(clock.now())))
      .get()) ?? null
  );
}

/** The invitation a link token names, if it is still usable (not used, revoked or expired). */
export async function findInvitationByTokenHash(env: Env, tokenHash: string): Promise<PendingInvitation | null> {
  const row = await db(env)
    .select({ invitation: invitations, orgName: organizations.name, orgSlug: organizations.slug })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(and(eq(invitations.tokenHash, tokenHash), pending(clock.now())))
    .get();
  return row ? { ...row.invitation, orgName: row.orgName, orgSlug: row.orgSlug } : null;
}

export async function revokeInvitation(env: Env, orgId: string, id: string): Promise<boolean> {
  const now = clock.now();
  const res = await env.DB.prepare(`UPDATE invitations SET revoked_at = ? WHERE org_id = ? AND id = ? AND ${PENDING_SQL}`).bind(now, orgId, id, now).run();
  return res.meta.changes === 1;
}

/** Resend: a new token hash (the old link dies at once) and a new expiry. */
export async function replaceInvitationToken(env: Env, orgId: string, id: string, tokenHash: string, expiresAt: number): Promise<boolean> {
  const now = clock.now();
  const res = await env.DB.prepare(`UPDATE invitations SET token_hash = ?, expires_at = ? WHERE org_id = ? AND id = ? AND ${PENDING_SQL}`)
    .bind(tokenHash, expiresAt, orgId, id, now)
    .run();
  return res.meta.changes === 1;
}

/** A used token's hash is replaced by this marker: unique per redemption, never a valid hash. */
const usedMarker = () => `used:${randomToken(16)}`;

function redeemStatement(env: Env, invitationId: string, tokenHash: string, userId: string, marker: string, now: number) {
  return env.DB.prepare(`UPDATE invitations SET token_hash = ?, accepted_at = ?, accepted_by = ? WHERE id = ? AND token_hash = ? AND ${PENDING_SQL}`).bind(
    marker,
    now,
    userId,
    invitationId,
    tokenHash,
    now,
  );
}

function joinStatement(env: Env, invitationId: string, marker: string, now: number) {
  return env.DB.prepare(
    "INSERT INTO memberships (org_id, user_id, role_key, joined_at, last_active_at, invited_by) SELECT org_id, accepted_by, role_key, ?, ?, invited_by FROM invitations WHERE id = ? AND token_hash = ? ON CONFLICT DO NOTHING",
  ).bind(now, now, invitationId, marker);
}

const isConstraintError = (e: unknown) => /FOREIGN KEY|UNIQUE/.test(String((e as Error)?.message ?? e));

/**
 * Redeems the invitation for an existing user and makes the membership, in one batch.
 * True for exactly one of any number of parallel calls with the same token.
 */
export async function acceptInvitation(env: Env, invitation: Invitation, userId: string): Promise<boolean> {
  const now = clock.now();
  const marker = usedMarker();
  try {
    const [redeemed] = await env.DB.batch([
      redeemStatement(env, invitation.id, invitation.tokenHash, userId, marker, now),
      joinStatement(env, invitation.id, marker, now),
    ]);
    return redeemed!.meta.changes === 1;
  } catch (e) {
    // The role was deleted meanwhile: the batch rolled back, the invitation is not usable.
    if (isConstraintError(e)) return false;
    throw e;
  }
}

/**
 * Registration through an invitation: the user (email verified: the link proves the
 * mailbox), the password, the redemption and the membership in ONE batch. Every insert
 * is guarded by the invitation still being pending, so a used, revoked or expired
 * invitation creates nothing. "taken": the email has an account (the unique index said so).
 */
export async function registerWithInvitation(
  env: Env,
  invitation: Invitation,
  input: { userId: string; name: string | null; passwordHash: string },
): Promise<"created" | "gone" | "taken"> {
  const now = clock.now();
  const marker = usedMarker();
  const stillPending = `EXISTS (SELECT 1 FROM invitations WHERE id = ? AND token_hash = ? AND ${PENDING_SQL})`;
  try {
    // An UNVERIFIED account holding the address (nobody proved that mailbox; the invitation
    // link just did) is released first, as createVerifiedUser does: deleted if it has no
    // other way in, else it loses the address. Guarded by the invitation, like the rest.
    const unverifiedHolder = `email = ? AND email_verified_at IS NULL AND ${stillPending}`;
    const batch = await env.DB.batch([
      env.DB.prepare(`DELETE FROM users WHERE ${unverifiedHolder} AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.user_id = users.id)`).bind(
        invitation.email,
        invitation.id,
        invitation.tokenHash,
        now,
      ),
      env.DB.prepare(`UPDATE users SET email = NULL, updated_at = ? WHERE ${unverifiedHolder}`).bind(
        now,
        invitation.email,
        invitation.id,
        invitation.tokenHash,
        now,
      ),
      env.DB.prepare(`INSERT INTO users (id, email, email_verified_at, name, created_at, updated_at) SELECT ?, ?, ?, ?, ?, ? WHERE ${stillPending}`).bind(
        input.userId,
        invitation.email,
        now,
        input.name,
        now,
        now,
        invitation.id,
        invitation.tokenHash,
        now,
      ),
      env.DB.prepare("INSERT INTO password_credentials (user_id, hash, updated_at) SELECT id, ?, ? FROM users WHERE id = ?").bind(
        input.passwordHash,
        now,
        input.userId,
      ),
      redeemStatement(env, invitation.id, invitation.tokenHash, input.userId, marker, now),
      joinStatement(env, invitation.id, marker, now),
    ]);
    return batch[2]!.meta.changes === 1 ? "created" : "gone";
  } catch (e) {
    if (String((e as Error)?.message ?? e).includes("UNIQUE")) return "taken";
    if (isConstraintError(e)) return "gone";
    throw e;
  }
}
