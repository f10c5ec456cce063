// The platform-admin guard (README "Admin"). Anyone else, signed in or not, gets the
// same 404 as an unknown path: the admin API does not announce itself. Impersonation
// sessions never pass (requireUser refuses every /api/admin request that carries `act`),
// so impersonating cannot be chained into admin powers.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { enforceRateLimit } from "../guard/rate-limit";
import { findUserById } from "../storage/users";
import { requireUser } from "./guards";

export const requirePlatformAdmin = (): MiddlewareHandler<AppEnv> => {
  const signedIn = requireUser({ checkSession: true });
  return (c, next) =>
    signedIn(c, async () => {
      const admin = await findUserById(c.env, c.get("userId")!);
      if (!admin?.isPlatformAdmin || admin.disabledAt) throw new ApiError("not_found");
      await enforceRateLimit(c, "admin.api", { account: admin.id });
      await next();
    });
};
