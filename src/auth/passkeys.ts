// Passkeys: registering one for the signed-in user, and checking a passkey assertion
// (for a passwordless sign-in, a second step, or a re-authentication). The ceremonies
// themselves are in ./webauthn.ts; this adds the stored credentials.
import type { Passkey, User } from "../storage/schema";
import { findPasskeyByCredentialId, insertPasskey, listPasskeys, recordPasskeyUse } from "../storage/passkeys";
import { randomId } from "./secrets";
import {
  ALGORITHMS,
  CHALLENGE_TTL_MS,
  newChallenge,
  relyingParty,
  userHandle,
  verifyAssertion,
  verifyRegistration,
  type AssertionJSON,
  type RegistrationJSON,
} from "./webauthn";
import type { PasskeyRequestOptions } from "../contract/auth";
import type { PasskeyCreationOptions } from "../contract/me";

const MAX_PASSKEYS = 20;

/** PublicKeyCredentialCreationOptionsJSON (for PublicKeyCredential.parseCreationOptionsFromJSON). */
export async function registrationOptions(env: Env, user: User, name: string | null): Promise<PasskeyCreationOptions> {
  const rp = relyingParty(env);
  const existing = await listPasskeys(env, user.id);
  const challenge = await newChallenge(env, { kind: "register", userId: user.id, name });
  const account = user.email ?? user.name ?? user.id;
  return {
    challenge,
    rp: { id: rp.id, name: rp.name },
    user: { id: userHandle(user.id), name: account, displayName: user.name ?? account },
    pubKeyCredParams: ALGORITHMS.map((alg) => ({ type: "public-key", alg })),
    timeout: CHALLENGE_TTL_MS,
    // Discoverable and user-verifying: a passkey must be able to sign in on its own.
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
    attestation: "none",
    excludeCredentials: existing.map((p) => ({
      type: "public-key",
      id: p.credentialId,
      ...(p.transports ? { transports: JSON.parse(p.transports) as string[] } : {}),
    })),
  };
}

type RegisterOutcome = { ok: true; passkey: Passkey } | { ok: false; reason: "invalid" | "already_registered" | "too_many"; detail?: string };

export async function registerPasskey(env: Env, userId: string, credential: RegistrationJSON, fallbackName: string): Promise<RegisterOutcome> {
  const verified = await verifyRegistration(env, userId, credential);
  if (!verified.ok) return { ok: false, reason: "invalid", detail: verified.reason };
  if ((await listPasskeys(env, userId)).length >= MAX_PASSKEYS) return { ok: false, reason: "too_many" };
  const passkey = await insertPasskey(env, {
    id: randomId(),
    userId,
    credentialId: verified.credentialId,
    publicKey: JSON.stringify(verified.publicKey),
    algorithm: verified.algorithm,
    signCount: verified.signCount,
    name: verified.name ?? fallbackName,
    transports: verified.transports.length ? JSON.stringify(verified.transports) : null,
    deviceType: verified.backupEligible ? "multi_device" : "single_device",
    backedUp: verified.backedUp,
  });
  return passkey ? { ok: true, passkey } : { ok: false, reason: "already_registered" };
}

/**
 * PublicKeyCredentialRequestOptionsJSON. Without a user: discoverable credentials (the
 * browser offers the passkeys it has for this site, also as autofill). With one: that
 * user's passkeys only (a second step or a re-authentication).
 */
export async function authenticationOptions(env: Env, userId: string | null): Promise<PasskeyRequestOptions> {
  const challenge = await newChallenge(env, { kind: "authenticate", userId });
  const allow = userId ? await listPasskeys(env, userId) : [];
  return {
    challenge,
    rpId: relyingParty(env).id,
    timeout: CHALLENGE_TTL_MS,
    userVerification: "required",
    ...(userId
      ? {
          allowCredentials: allow.map((p) => ({
            type: "public-key",
            id: p.credentialId,
            ...(p.transports ? { transports: JSON.parse(p.transports) as string[] } : {}),
          })),
        }
      : {}),
  };
}

type PasskeyCheck = { ok: true; userId: string; passkey: Passkey; amr: string[] } | { ok: false; reason: string };

/**
 * Checks an assertion. `forUser`: the passkey must be that user's, and so must the
 * challenge (options asked for that user), so a challenge fetched for one purpose
 * cannot be replayed into another account's step.
 */
export async function checkPasskey(env: Env, credential: AssertionJSON, forUser: string | null): Promise<PasskeyCheck> {
  const passkey = await findPasskeyByCredentialId(env, credential.rawId.replace(/=+$/, ""));
  if (!passkey) return { ok: false, reason: "unknown credential" };
  if (forUser !== null && passkey.userId !== forUser) return { ok: false, reason: "another user's passkey" };
  const verified = await verifyAssertion(env, credential, passkey);
  if (!verified.ok) return verified;
  if (verified.purpose.userId !== null && verified.purpose.userId !== passkey.userId) return { ok: false, reason: "challenge for another user" };
  if (!(await recordPasskeyUse(env, passkey.id, verified.signCount, verified.backedUp))) return { ok: false, reason: "signature counter did not grow" };
  // RFC 8176: hwk (proof of possession of a key held by an authenticator) and user (verified by it).
  return { ok: true, userId: passkey.userId, passkey, amr: ["hwk", "user"] };
}
