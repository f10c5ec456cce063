// Passwordless sign-in as a domain flow: a one-time code to a verified phone (SMS,
// WhatsApp, Telegram) or a verified email, or the email's magic link. The environment,
// the inputs (already parsed: E.164 phone, normalised email) and the device in, a result
// out; the route maps it. Sending answers the same whether or not anyone owns the target
// (the code is issued either way, src/auth/code-delivery.ts), and redeeming checks that
// the account still owns the target, since a phone or an address can move meanwhile.
import type { PhoneChannel } from "../config";
import { accountLocale } from "../messages/code-texts";
import type { Locale } from "../messages/message";
import type { User } from "../storage/schema";
import { findUserByPhone, touchPhoneIdentity } from "../storage/phones";
import { findUserByEmail, findUserById } from "../storage/users";
import { refuseDeactivated, type DeactivatedRefusal } from "./account-lifecycle";
import { sendOneTimeCode } from "./code-delivery";
import { redeemCode, redeemLinkToken, type RedeemFailure } from "./one-time-code";
import { finishFirstFactor, type FirstFactorResult, type SignInContext } from "./sign-in";

const PURPOSE = "sign-in";

export type SignInCodeTarget = { phone: string; channel: PhoneChannel } | { email: string };

/**
 * Issues a sign-in code for the target and sends it (after the response, through `defer`)
 * only to a live account that owns it. `locale`: the request's, for a target nobody owns.
 */
export async function sendSignInCode(env: Env, to: SignInCodeTarget, context: { locale: Locale; defer: SignInContext["defer"] }): Promise<void> {
  const user = "phone" in to ? await findUserByPhone(env, to.phone) : await findUserByEmail(env, to.email);
  // Only a verified email signs in by code: an unverified one may have been registered
  // by someone else with a password they know (account pre-hijacking).
  const known = user !== null && !user.disabledAt && ("phone" in to || user.emailVerifiedAt !== null);
  const common = {
    purpose: PURPOSE,
    text: "sign-in",
    locale: accountLocale(known ? user : null, context.locale),
    userId: known ? user.id : null,
    deliver: known,
  } as const;
  context.defer(
    sendOneTimeCode(
      env,
      "phone" in to ? { ...common, target: to.phone, destination: to } : { ...common, target: to.email, destination: { email: to.email }, magicLink: true },
    ),
  );
}

export type SignInCode = { phone: string; code: string } | { email: string; code: string } | { token: string };
export type CodeSignInMethod = "phone_code" | "email_code" | "magic_link";

export type CodeSignInResult =
  | (FirstFactorResult & { method: CodeSignInMethod })
  /** The code or link itself was refused (no_challenge: the client, not the target, is charged). */
  | { ok: false; reason: "code_refused"; failure: RedeemFailure }
  /** A right code, but no live account owns its target any more: the same answer as a wrong code. */
  | { ok: false; reason: "not_owner" }
  | DeactivatedRefusal;

const methodOf = (input: SignInCode): CodeSignInMethod => ("token" in input ? "magic_link" : "phone" in input ? "phone_code" : "email_code");

export async function signInWithCode(env: Env, input: SignInCode, context: SignInContext): Promise<CodeSignInResult> {
  const method = methodOf(input);
  const redeemed =
    "token" in input
      ? await redeemLinkToken(env, PURPOSE, input.token)
      : await redeemCode(env, PURPOSE, "phone" in input ? input.phone : input.email, input.code);
  if (!redeemed.ok) return { ok: false, reason: "code_refused", failure: redeemed.reason };
  const user = redeemed.userId ? await findUserById(env, redeemed.userId) : null;
  if (!user || user.disabledAt || !(await ownsTarget(env, user, method, redeemed.target))) return { ok: false, reason: "not_owner" };
  if (user.deactivatedAt !== null) return refuseDeactivated(env, user, method);
  if (method === "phone_code") context.defer(touchPhoneIdentity(env, redeemed.target));
  const signedIn = await finishFirstFactor(env, { user, method, device: context.device, binding: context.binding });
  return { ...signedIn, method };
}

/** Still the owner? The phone may have moved to another account, or the address changed, since the code was sent. */
async function ownsTarget(env: Env, user: User, method: CodeSignInMethod, target: string): Promise<boolean> {
  if (method === "phone_code") return (await findUserByPhone(env, target))?.id === user.id;
  return user.email === target && user.emailVerifiedAt !== null;
}
