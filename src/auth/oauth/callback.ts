// The provider's redirect back as a domain flow: the transaction proved and the profile
// fetched (./transaction.ts), then either a link to the signed-in account that started it
// or a sign-in (./accounts.ts: an existing identity, an existing account by verified
// email, or a new account), ending like every first factor in finishFirstFactor. The
// route maps the result to a redirect into the SPA and writes the audit events; each
// refusal carries the event it should write and the code the error page shows.
import type { ErrorCode } from "../../errors";
import type { Locale } from "../../messages/message";
import { sendSignInMethodNotice } from "../../messages/sign-in-method-notices";
import { findUserById } from "../../storage/users";
import { mayCreateAccounts } from "../registration-mode";
import { finishFirstFactor, type FirstFactorResult, type SignInContext } from "../sign-in";
import { linkProfile, signInWithProfile } from "./accounts";
import type { OAuthProvider } from "./providers";
import { completeOAuth, type CallbackInput } from "./transaction";

export type OAuthCallbackRefusal = {
  ok: false;
  /** What the error page says. */
  code: ErrorCode;
  /** The audit reason (more precise than `code`: binding_mismatch, state_reused, ...). */
  reason: string;
  event: "sign_in.failure" | "identity.link_failed";
  userId: string | null;
};

export type OAuthCallbackResult =
  | OAuthCallbackRefusal
  /** Link mode: `linked` false when the provider account already was this user's. */
  | { ok: true; mode: "link"; linked: boolean; returnTo: string; userId: string; sessionId: string | null }
  | (FirstFactorResult & { mode: "sign_in"; returnTo: string; created: boolean; linkedByEmail: boolean });

/** `postedName`: the name Apple posts once, on the first sign-in (used when the profile has none). */
export type OAuthCallback = CallbackInput & { postedName: string | null };

const refuse = (code: ErrorCode, reason: string, event: OAuthCallbackRefusal["event"], userId: string | null): OAuthCallbackRefusal => ({
  ok: false,
  code,
  reason,
  event,
  userId,
});

export async function finishOAuthCallback(
  env: Env,
  provider: OAuthProvider,
  input: OAuthCallback,
  context: SignInContext & { locale: Locale },
): Promise<OAuthCallbackResult> {
  const outcome = await completeOAuth(env, provider, input);
  if (!outcome.ok)
    return refuse(outcome.code, outcome.reason, outcome.tx?.mode === "link" ? "identity.link_failed" : "sign_in.failure", outcome.tx?.userId ?? null);
  const { tx, profile } = outcome;
  if (input.postedName && !profile.name) profile.name = input.postedName;
  const providerLinked = { type: "provider_linked", provider: provider.label } as const;

  if (tx.mode === "link" && tx.userId) {
    const linked = await linkProfile(env, tx.userId, provider.id, profile);
    if (linked === "identity_in_use" || linked === "account_disabled") return refuse(linked, linked, "identity.link_failed", tx.userId);
    if (linked === "linked") {
      const owner = await findUserById(env, tx.userId).catch(() => null);
      if (owner) context.defer(sendSignInMethodNotice(env, owner, providerLinked, context.locale));
    }
    return { ok: true, mode: "link", linked: linked === "linked", returnTo: tx.returnTo, userId: tx.userId, sessionId: tx.sessionId ?? null };
  }

  const account = await signInWithProfile(env, provider.id, profile, mayCreateAccounts(env));
  if (!account.ok) return refuse(account.reason, account.reason, "sign_in.failure", null);
  // A provider account attached to an existing account by its verified email is a new
  // way into that account: its owner hears of it like any other link.
  if (account.linkedByEmail) context.defer(sendSignInMethodNotice(env, account.user, providerLinked, context.locale));
  const signedIn = await finishFirstFactor(env, { user: account.user, method: `oauth:${provider.id}`, device: context.device, binding: context.binding });
  return { ...signedIn, mode: "sign_in", returnTo: tx.returnTo, created: account.created, linkedByEmail: account.linkedByEmail };
}
