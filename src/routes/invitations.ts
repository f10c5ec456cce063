// The invitation link's side: look an invitation up by its token (the landing page) and
// accept it as a signed-in user. Registering through an invitation is
// POST /api/auth/register with `invitationToken` (./invitation-register.ts).
// Guessing tokens is pointless (256 bits) but still rate-limited per IP.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sha256Hex } from "../auth/secrets";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { ID } from "../model/ids";
import { acceptInvitation, findInvitationByTokenHash, type PendingInvitation } from "../storage/invitations";
import { findMembership } from "../storage/memberships";
import { findRole } from "../storage/orgs";
import { findUserById } from "../storage/users";
import type { InvitationInfo, Membership } from "../contract/orgs";

export const invitationRoutes = new Hono<AppEnv>();
describeRoutes(invitationRoutes, { tags: ["Invitations"] });

export const invitationGone = () =>
  new ApiError("not_found", { detail: "This invitation is not valid: it was used, revoked or has expired. Ask for a new one." });

/** The pending invitation a token names, or 404 (unknown, used, revoked, expired: one answer). */
export async function invitationByToken(env: Env, token: string): Promise<PendingInvitation> {
  const invitation = ID.token256.test(token) ? await findInvitationByTokenHash(env, sha256Hex(token)) : null;
  if (!invitation) throw invitationGone();
  return invitation;
}

/** "alice@example.com" -> "a***@example.com": enough to recognise, not to harvest. */
export const maskEmail = (email: string) => email.replace(/^(.)[^@]*(@.*)$/, "$1***$2");

// ---------------------------------------------------------------------------
const LookupBody = z.object({ organization: z.object({ name: z.string() }), role: z.string(), roleName: z.string(), email: z.string(), expiresAt: z.string() });
describeRoute(invitationRoutes, {
  summary: "What an invitation link offers (for its landing page): organization name, role, the invited email masked, expiry.",
  responses: { 200: { description: "A pending invitation", schema: LookupBody }, 404: "not_found (unknown, used, revoked or expired)", 429: "rate_limited" },
});
invitationRoutes.get("/:token", async (c) => {
  await enforceRateLimit(c, "invitation.lookup");
  const invitation = await invitationByToken(c.env, c.req.param("token"));
  const role = await findRole(c.env, invitation.orgId, invitation.roleKey);
  c.header("cache-control", "no-store");
  return c.json({
    organization: { name: invitation.orgName },
    role: invitation.roleKey,
    roleName: role?.name ?? invitation.roleKey,
    email: maskEmail(invitation.email),
    expiresAt: new Date(invitation.expiresAt).toISOString(),
  } satisfies InvitationInfo);
});

// ---------------------------------------------------------------------------
const AcceptBody = z.object({ token: f.linkToken });
const MembershipView = z.object({
  organization: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
  role: z.string(),
  permissions: z.array(z.string()),
  joinedAt: z.string(),
});
describeRoute(invitationRoutes, {
  auth: "bearer",
  body: AcceptBody,
  summary: "Accept an invitation as the signed-in user, whose VERIFIED email must be the invited one. Single use: of parallel accepts exactly one succeeds.",
  responses: {
    200: { description: "The new membership", schema: MembershipView },
    403: "invitation_email_mismatch",
    404: "not_found",
    409: "already_member",
    429: "rate_limited",
  },
});
invitationRoutes.post("/accept", requireUser({ checkSession: true }), jsonBody(AcceptBody), async (c) => {
  const { token } = c.req.valid("json");
  await enforceRateLimit(c, "invitation.accept");
  const invitation = await invitationByToken(c.env, token);
  const user = await findUserById(c.env, c.get("userId")!);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  if (user.email !== invitation.email || user.emailVerifiedAt === null) throw new ApiError("invitation_email_mismatch");
  if (await findMembership(c.env, invitation.orgId, user.id)) throw new ApiError("already_member");
  if (!(await acceptInvitation(c.env, invitation, user.id))) throw invitationGone();

  const member = await findMembership(c.env, invitation.orgId, user.id);
  if (!member) throw invitationGone();
  audit(c, { type: "member.joined", userId: user.id, orgId: invitation.orgId, detail: { invitationId: invitation.id, role: member.role } });
  c.header("cache-control", "no-store");
  return c.json({
    organization: { id: invitation.orgId, name: invitation.orgName, slug: invitation.orgSlug },
    role: member.role,
    permissions: member.permissions,
    joinedAt: new Date(member.joinedAt).toISOString(),
  } satisfies Membership);
});
