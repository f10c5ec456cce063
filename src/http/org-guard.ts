// The one route guard for organization routes. A caller who is not a member gets 404,
// exactly what a missing organization gets, so org ids cannot be probed; a member who
// lacks the permission gets 403 (they already know the organization exists). The
// decisions themselves are in src/auth/permissions.ts.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { can } from "../auth/permissions";
import { ID } from "../model/ids";
import { findMembership } from "../storage/memberships";
import { requireUser } from "./guards";

export const orgNotFound = () => new ApiError("not_found", { detail: "No such organization." });

const memberOf =
  (permission?: string): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const orgId = c.req.param("orgId") ?? "";
    const membership = ID.record.test(orgId) ? await findMembership(c.env, orgId, c.get("userId")!) : null;
    if (!membership) throw orgNotFound();
    if (permission && !can(membership, permission))
      throw new ApiError("forbidden", { detail: `This needs the permission "${permission}" in this organization.` });
    c.set("membership", membership);
    return next();
  };

/**
 * Signed in with a live session (a disabled account's sessions are ended, so it stops
 * here at once), a member of :orgId, and holding `permission` if one is named.
 */
export const orgAccess = (permission?: string): MiddlewareHandler<AppEnv> => {
  const signedIn = requireUser({ checkSession: true });
  const member = memberOf(permission);
  return (c, next) =>
    signedIn(c, async () => {
      await member(c, next);
    });
};

/** How orgAccess refuses, for the docs of the routes behind it (src/http/openapi.ts). */
export const orgRefusals = { 403: "forbidden", 404: "not_found" };
