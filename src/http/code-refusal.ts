// The wire answer to a refused one-time code, shared by every route that redeems codes.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import type { RedeemFailure } from "../auth/one-time-code";
import { enforceRateLimit } from "../guard/rate-limit";

/**
 * A code typed while no challenge is live for its target cannot succeed. It is charged
 * to the guessing client (`code.no-challenge`, per IP) and never to the target, so a
 * stranger's guesses do not spend the budget of the owner's next code (issue 10 §3).
 * The answer is the same invalid_code as a wrong code until that client is over its rule.
 */
export async function codeRefusal(c: Context<AppEnv>, reason: RedeemFailure): Promise<ApiError> {
  if (reason === "no_challenge") await enforceRateLimit(c, "code.no-challenge");
  if (reason === "expired") return new ApiError("code_expired");
  if (reason === "too_many_attempts") return new ApiError("too_many_attempts");
  return new ApiError("invalid_code");
}
