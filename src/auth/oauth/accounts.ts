// From a provider profile to one of our users. Identities are keyed by (provider,
// subject), never by email. An email only links a new identity to an existing account
// when BOTH sides have verified it; anything else could hand an account to whoever
// registered that address at some provider (pre-account-takeover).
import { addIdentity, createUserWithIdentity, findIdentityWithUser, identityProvidersOf, touchIdentity, type IdentityFacts } from "../../storage/identities";
import type { User } from "../../storage/schema";
import { findUserByEmail, findUserById } from "../../storage/users";
import { randomId } from "../secrets";
import type { ProviderProfile } from "./profiles";

export type SignInOutcome =
  | { ok: true; user: User; created: boolean; linkedByEmail: boolean }
  | { ok: false; reason: "account_exists" | "account_disabled" | "registration_invite_only" };

const factsOf = (provider: string, p: ProviderProfile): IdentityFacts => ({ provider, subject: p.subject, email: p.email, emailVerified: p.emailVerified });

/** `mayCreate`: false in invite-only mode (src/auth/registration.ts): known accounts still sign in, none is created. */
export async function signInWithProfile(env: Env, provider: string, profile: ProviderProfile, mayCreate = true): Promise<SignInOutcome> {
  const facts = factsOf(provider, profile);
  const known = await findIdentityWithUser(env, provider, profile.subject);
  if (known) {
    // A deactivated account is reactivated by password or code sign-in (README "Deactivation"), not here.
    if (known.user.disabledAt || known.user.deactivatedAt) return { ok: false, reason: "account_disabled" };
    await touchIdentity(env, known.identity.id, facts.email, facts.emailVerified);
    return { ok: true, user: known.user, created: false, linkedByEmail: false };
  }

  const existing = profile.email ? await findUserByEmail(env, profile.email) : null;
  if (existing) {
    if (existing.disabledAt || existing.deactivatedAt) return { ok: false, reason: "account_disabled" };
    if (!profile.emailVerified || existing.emailVerifiedAt === null) return { ok: false, reason: "account_exists" };
    if (!(await addIdentity(env, existing.id, facts))) return settleRace(env, provider, profile);
    return { ok: true, user: existing, created: false, linkedByEmail: true };
  }

  if (!mayCreate) return { ok: false, reason: "registration_invite_only" };
  // A new account. Its email is set only when the provider verified it, so an unverified
  // address can neither squat on nor later claim someone else's account.
  const user = await createUserWithIdentity(env, {
    id: randomId(),
    email: profile.emailVerified ? profile.email : null,
    emailVerified: profile.emailVerified,
    name: profile.name,
    identity: facts,
  });
  return user ? { ok: true, user, created: true, linkedByEmail: false } : settleRace(env, provider, profile);
}

/** A concurrent callback won a unique index: whatever it created is the answer. */
async function settleRace(env: Env, provider: string, profile: ProviderProfile): Promise<SignInOutcome> {
  const known = await findIdentityWithUser(env, provider, profile.subject);
  if (known && !known.user.disabledAt) return { ok: true, user: known.user, created: false, linkedByEmail: false };
  return { ok: false, reason: known ? "account_disabled" : "account_exists" };
}

export type LinkOutcome = "linked" | "already_linked" | "identity_in_use" | "account_disabled";

/** Link mode: the user is signed in here AND just authenticated at the provider. */
export async function linkProfile(env: Env, userId: string, provider: string, profile: ProviderProfile): Promise<LinkOutcome> {
  const user = await findUserById(env, userId);
  if (!user || user.disabledAt) return "account_disabled";
  const known = await findIdentityWithUser(env, provider, profile.subject);
  if (known) return known.user.id === userId ? "already_linked" : "identity_in_use";
  if (await addIdentity(env, userId, factsOf(provider, profile))) return "linked";
  const winner = await findIdentityWithUser(env, provider, profile.subject);
  return winner?.user.id === userId ? "already_linked" : "identity_in_use";
}

/**
 * Policy OAUTH_REQUIRE_PHONE: an account with a social identity is complete once it has a
 * verified phone. Judged on the account, not on how this sign-in happened, so signing in
 * by email code or a reset password instead of the provider does not skip the step.
 */
export async function needsPhoneVerification(env: Env, userId: string, requirePhone: boolean): Promise<boolean> {
  if (!requirePhone) return false;
  const providers = await identityProvidersOf(env, userId);
  return providers.some((p) => p !== "phone") && !providers.includes("phone");
}
