// Turning the result of a first factor (src/auth/sign-in.ts) into the response: tokens and
// the refresh cookie, or `{mfaRequired, mfaToken, methods}` with the browser-binding
// cookie and nothing that signs in. One place, so no route can forget the second step.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { MFA_TOKEN_TTL_MS, type FirstFactorResult } from "../auth/sign-in";
import { audit } from "../http/audit";
import { setMfaBindingCookie } from "../http/mfa-cookie";
import { publicUser, tokenResponse } from "../http/respond";
import { recordSignInSuccess } from "./sign-in-events";
import type { MfaRequired } from "../contract/auth";

export async function respondToFirstFactor(
  c: Context<AppEnv>,
  result: FirstFactorResult,
  method: string,
  binding: string,
  extra: Record<string, unknown> = {},
  status: 200 | 201 = 200,
) {
  if ("challenge" in result) {
    audit(c, { type: "sign_in.mfa_required", userId: result.user.id, detail: { method } });
    setMfaBindingCookie(c, binding);
    c.header("cache-control", "no-store");
    return c.json(
      {
        mfaRequired: true,
        mfaToken: result.challenge.mfaToken,
        methods: result.challenge.methods,
        expiresIn: MFA_TOKEN_TTL_MS / 1000,
        ...extra,
      } satisfies MfaRequired,
      status,
    );
  }
  await recordSignInSuccess(c, result.user, result.session, method);
  return tokenResponse(c, result.session, { user: publicUser(result.user), ...extra }, status);
}
