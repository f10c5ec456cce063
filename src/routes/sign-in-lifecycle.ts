// What a sign-in says when the account is switched off by its owner: after the right
// password (or code), "deactivated, reactivate?" with a short-lived token — never before,
// so the answer tells a guesser nothing. The flows make the offer (src/auth/account-lifecycle.ts
// refuseDeactivated); this is its wire answer, shared by the sign-in routes.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import type { DeactivatedRefusal } from "../auth/account-lifecycle";
import { audit } from "../http/audit";

/** 403 account_deactivated with the reactivation token, or `expired` (the method's "wrong secret") after 30 days. */
export function deactivatedError(c: Context<AppEnv>, { user, offer }: DeactivatedRefusal, expired: ApiError = new ApiError("invalid_credentials")): ApiError {
  audit(c, { type: "sign_in.failure", userId: user.id, reason: offer ? "deactivated" : "deactivated_expired" });
  if (!offer) return expired;
  return new ApiError("account_deactivated", {
    detail: "You deactivated this account. POST the reactivationToken to /api/auth/reactivate to switch it back on and sign in.",
    extensions: {
      reactivationToken: offer.token,
      deactivatedAt: new Date(user.deactivatedAt ?? 0).toISOString(),
      reactivateBefore: new Date(offer.deadline).toISOString(),
    },
  });
}
