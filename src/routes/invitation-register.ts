// Registration through an invitation: POST /api/auth/register with `invitationToken`.
// Kept apart from the open register route on purpose (that route only hands over here),
// so either can change without touching the other. The link proves the mailbox, so the
// account is created with its email VERIFIED, and the account, its password, the
// invitation's redemption and the membership are one D1 batch: all or nothing. This is
// the one way to create an account in invite-only mode (README "Invite-only mode").
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { deviceInfo } from "../auth/device";
import { hashPassword } from "../auth/password-hash";
import { checkNewPassword, hashConfig, newPasswordError } from "../auth/passwords";
import { randomId } from "../auth/secrets";
import { startSession } from "../auth/session";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { publicUser, tokenResponse } from "../http/respond";
import { registerWithInvitation } from "../storage/invitations";
import { findUserById, normalizeEmail } from "../storage/users";
import { invitationByToken, invitationGone } from "./invitations";
import { recordSignInSuccess } from "./sign-in-events";

export type InvitationRegistration = { email: string; password: string; name?: string; invitationToken: string };

export async function registerThroughInvitation(c: Context<AppEnv>, body: InvitationRegistration) {
  await enforceRateLimit(c, "invitation.accept");
  const invitation = await invitationByToken(c.env, body.invitationToken);
  if (normalizeEmail(body.email) !== invitation.email) throw new ApiError("invitation_email_mismatch");
  const policy = await checkNewPassword(c.env, body.password, { email: invitation.email });
  if (!policy.ok) throw newPasswordError(policy);
  const passwordHash = await hashPassword(policy.password, hashConfig(c.env));

  const userId = randomId();
  const outcome = await registerWithInvitation(c.env, invitation, { userId, name: body.name || null, passwordHash });
  // The token holder controls the invited mailbox, so saying the account exists tells them nothing new.
  if (outcome === "taken") throw new ApiError("account_exists", { detail: "This email already has an account. Sign in, then accept the invitation." });
  if (outcome === "gone") throw invitationGone();
  const user = await findUserById(c.env, userId);
  if (!user) throw invitationGone();

  // amr "otp": the emailed link proved the mailbox, as an email verification does.
  const tokens = await startSession(c.env, user.id, deviceInfo(c.req.raw), "invitation", ["otp"], { activeOrgId: invitation.orgId });
  audit(c, { type: "email.verified", userId: user.id, sessionId: tokens.sessionId, detail: { via: "invitation" } });
  audit(c, {
    type: "member.joined",
    userId: user.id,
    orgId: invitation.orgId,
    sessionId: tokens.sessionId,
    detail: { invitationId: invitation.id, role: invitation.roleKey, registered: true },
  });
  await recordSignInSuccess(c, user, tokens, "invitation");
  return tokenResponse(c, tokens, { user: publicUser(user), organization: { id: invitation.orgId, name: invitation.orgName, slug: invitation.orgSlug } }, 201);
}
