// What a sign-in says when the account is switched off by its owner: after the right
// password (or code), "deactivated, reactivate?" with a short-lived token — never before,
// so the answer tells a guesser nothing. Kept here so the sign-in handlers stay straight.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { offerReactivation } from "../auth/account-lifecycle";
import { audit } from "../http/audit";
import type { User } from "../storage/schema";

/** Throws when `user` is deactivated: 403 account_deactivated with a reactivation token, or invalid_credentials after 30 days. */
export async function refuseIfDeactivated(
  c: Context<AppEnv>,
  user: User,
  method: string,
  expired: ApiError = new ApiError("invalid_credentials"),
): Promise<void> {
  if (user.deactivatedAt === null) return;
  const offer = await offerReactivation(c.env, user, method);
  audit(c, { type: "sign_in.failure", userId: user.id, reason: offer ? "deactivated" : "deactivated_expired" });
  if (!offer) throw expired;
  throw new ApiError("account_deactivated", {
    detail: "You deactivated this account. POST the reactivationToken to /api/auth/reactivate to switch it back on and sign in.",
    extensions: {
      reactivationToken: offer.token,
      deactivatedAt: new Date(user.deactivatedAt).toISOString(),
      reactivateBefore: new Date(offer.deadline).toISOString(),
    },
  });
}
