// An organization's invitations: send, list pending, revoke, resend. The link carries a
// 256-bit single-use token; only its SHA-256 is stored. Resending mints a new token, so
// the old link is dead at once. The email goes through the queue (sendMessage).
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { clock } from "../clock";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { mayInvite } from "../auth/permissions";
import { randomId, randomToken, sha256Hex } from "../auth/secrets";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { describeRoute, describeRoutes } from "../http/openapi";
import { orgAccess, orgRefusals } from "../http/org-guard";
import * as o from "../http/org-schemas";
import * as f from "../http/schemas";
import { jsonBody, parseOrThrow, readJsonBody } from "../http/validate";
import { chooseLocale } from "../messages/code-texts";
import { invitationEmail } from "../messages/invitation-email";
import { sendMessage } from "../messages/outbox";
import { ID } from "../model/ids";
import { createInvitation, findPendingInvitation, listPendingInvitations, replaceInvitationToken, revokeInvitation } from "../storage/invitations";
import { findMembership } from "../storage/memberships";
import { findOrganization, findRole } from "../storage/orgs";
import type { Invitation } from "../storage/schema";
import { findUserByEmail, findUserById } from "../storage/users";
import type { Invitation as InvitationBody, InvitationsResponse } from "../contract/orgs";

export const orgInvitationRoutes = new Hono<AppEnv>();
describeRoutes(orgInvitationRoutes, { tags: ["Invitations"], auth: "bearer", responses: orgRefusals });

export const DEFAULT_INVITATION_DAYS = 7;
export const MAX_INVITATION_DAYS = 30;
const DAY_MS = 86400 * 1000;

const InvitationView = z.object({ id: z.string(), email: z.string(), role: z.string(), expiresAt: z.string() });
const view = (i: Invitation) => ({ id: i.id, email: i.email, role: i.roleKey, expiresAt: new Date(i.expiresAt).toISOString() });

/** Sends the invitation email (after the response) in the caller's language. */
async function sendInvitation(c: Context<AppEnv>, invitation: Invitation, token: string, locale: string | undefined): Promise<void> {
  const [org, role, inviter] = await Promise.all([
    findOrganization(c.env, invitation.orgId),
    findRole(c.env, invitation.orgId, invitation.roleKey),
    findUserById(c.env, c.get("userId")!),
  ]);
  if (!org || !role) return;
  const rendered = invitationEmail(config(c.env), chooseLocale(locale, c.req.header("accept-language")), {
    orgName: org.name,
    inviterName: inviter?.name ?? null,
    roleName: role.name,
    token,
    expiresAt: invitation.expiresAt,
  });
  c.executionCtx.waitUntil(
    sendMessage(c.env, "email", invitation.email, rendered, { expiresAt: invitation.expiresAt }).catch((e) => console.error("[invitations] send failed", e)),
  );
}

// ---------------------------------------------------------------------------
const CreateBody = z.object({
  email: f.email,
  role: o.roleKey,
  expiresInDays: z.optional(
    z.number().check(z.int("Whole days only."), z.minimum(1, "At least 1 day."), z.maximum(MAX_INVITATION_DAYS, `At most ${MAX_INVITATION_DAYS} days.`)),
  ),
  locale: z.optional(f.locale),
});
describeRoute(orgInvitationRoutes, {
  body: CreateBody,
  summary: `Invite an email address with a role (\`invitations:manage\`; only roles whose permissions you hold). Expires in expiresInDays (default ${DEFAULT_INVITATION_DAYS}, max ${MAX_INVITATION_DAYS}).`,
  responses: {
    201: { description: "Invited; the email is on its way", schema: InvitationView },
    400: "validation_failed",
    409: "already_member or conflict (one is pending)",
    429: "rate_limited",
  },
});
orgInvitationRoutes.post("/:orgId/invitations", orgAccess("invitations:manage"), jsonBody(CreateBody), async (c) => {
  const { email, role: roleKey, expiresInDays, locale } = c.req.valid("json");
  const orgId = c.req.param("orgId");
  await enforceRateLimit(c, "org.invite", { target: orgId, account: c.get("userId") });
  const role = await findRole(c.env, orgId, roleKey);
  if (!role) throw new ApiError("validation_failed", { errors: [{ path: "role", message: "No such role in this organization." }] });
  if (!mayInvite(c.get("membership")!, { role: role.key, permissions: role.permissions }))
    throw new ApiError("forbidden", { detail: "You can only invite with roles whose permissions you hold yourself." });
  const existing = await findUserByEmail(c.env, email);
  if (existing && (await findMembership(c.env, orgId, existing.id))) throw new ApiError("already_member", { detail: "This person is already a member." });
  if ((await listPendingInvitations(c.env, orgId)).some((i) => i.email === email))
    throw new ApiError("conflict", { detail: "An invitation to this address is pending: resend or revoke it." });

  const token = randomToken();
  const invitation = await createInvitation(c.env, {
    id: randomId(),
    orgId,
    email,
    roleKey: role.key,
    tokenHash: sha256Hex(token),
    expiresAt: clock.now() + (expiresInDays ?? DEFAULT_INVITATION_DAYS) * DAY_MS,
    invitedBy: c.get("userId")!,
  });
  await sendInvitation(c, invitation, token, locale);
  audit(c, { type: "invitation.created", userId: c.get("userId"), orgId, detail: { invitationId: invitation.id, role: role.key } });
  return c.json(view(invitation) satisfies InvitationBody, 201);
});

// ---------------------------------------------------------------------------
describeRoute(orgInvitationRoutes, {
  summary: "Pending invitations (`invitations:manage`): not accepted, revoked or expired.",
  responses: { 200: { description: "Pending invitations", schema: z.object({ invitations: z.array(InvitationView) }) } },
});
orgInvitationRoutes.get("/:orgId/invitations", orgAccess("invitations:manage"), async (c) => {
  const pending = await listPendingInvitations(c.env, c.req.param("orgId"));
  c.header("cache-control", "no-store");
  return c.json({
    invitations: pending.map((i) => ({ ...view(i), createdAt: new Date(i.createdAt).toISOString(), invitedBy: i.invitedBy })),
  } satisfies InvitationsResponse);
});

async function pendingOr404(env: Env, orgId: string, id: string): Promise<Invitation> {
  const invitation = ID.record.test(id) ? await findPendingInvitation(env, orgId, id) : null;
  if (!invitation) throw new ApiError("not_found", { detail: "No pending invitation with that id." });
  return invitation;
}

// ---------------------------------------------------------------------------
describeRoute(orgInvitationRoutes, {
  summary: "Revoke a pending invitation (`invitations:manage`): its link stops working at once.",
  responses: { 204: "Revoked" },
});
orgInvitationRoutes.delete("/:orgId/invitations/:id", orgAccess("invitations:manage"), async (c) => {
  const orgId = c.req.param("orgId");
  const invitation = await pendingOr404(c.env, orgId, c.req.param("id"));
  if (!(await revokeInvitation(c.env, orgId, invitation.id))) throw new ApiError("not_found", { detail: "No pending invitation with that id." });
  audit(c, { type: "invitation.revoked", userId: c.get("userId"), orgId, detail: { invitationId: invitation.id } });
  return c.body(null, 204);
});

// ---------------------------------------------------------------------------
const ResendBody = z.optional(z.object({ locale: z.optional(f.locale) }));
describeRoute(orgInvitationRoutes, {
  summary: "Send a pending invitation again with a NEW link (`invitations:manage`); the old link dies, and the expiry restarts.",
  responses: { 200: { description: "Resent", schema: InvitationView }, 429: "rate_limited" },
});
orgInvitationRoutes.post("/:orgId/invitations/:id/resend", orgAccess("invitations:manage"), async (c) => {
  const body = parseOrThrow(ResendBody, await readJsonBody(c, { optional: true }));
  const orgId = c.req.param("orgId");
  await enforceRateLimit(c, "org.invite", { target: orgId, account: c.get("userId") });
  const invitation = await pendingOr404(c.env, orgId, c.req.param("id"));
  const token = randomToken();
  // The same lifetime as first given (createdAt stays), never beyond the maximum.
  const expiresAt = clock.now() + Math.min(MAX_INVITATION_DAYS * DAY_MS, Math.max(DAY_MS, invitation.expiresAt - invitation.createdAt));
  if (!(await replaceInvitationToken(c.env, orgId, invitation.id, sha256Hex(token), expiresAt)))
    throw new ApiError("not_found", { detail: "No pending invitation with that id." });
  const resent = { ...invitation, expiresAt };
  await sendInvitation(c, resent, token, body?.locale);
  audit(c, { type: "invitation.resent", userId: c.get("userId"), orgId, detail: { invitationId: invitation.id } });
  return c.json(view(resent) satisfies InvitationBody);
});
