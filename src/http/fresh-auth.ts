// Re-authentication for account-level changes (email, deactivation, deletion): the
// session must have been signed in to recently (src/auth/fresh-sign-in.ts; iat is not
// enough, every refresh mints a new one). The team's shared guard `requireRecentAuth()`
// (src/http/guards.ts, hardening branch) replaces this one once it lands: same answer.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { isFreshSignIn } from "../auth/fresh-sign-in";

export const requireFreshSignIn = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (!(await isFreshSignIn(c.env, c.get("userId")!, c.get("sessionId")!))) {
    throw new ApiError("reauthentication_required", { detail: "Sign in again (or re-authenticate) to do this." });
  }
  return next();
};
