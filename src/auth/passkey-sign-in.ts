// Passkey sign-in as a domain flow: a discoverable credential with user verification is
// two factors in one, so it ends in finishFirstFactor with amr "hwk" and never asks for a
// second step. Every refusal is the same passkey_invalid to the client; `cause` says why
// in the logs only.
import { findUserById } from "../storage/users";
import { checkPasskey } from "./passkeys";
import type { AssertionJSON } from "./webauthn";
import { finishFirstFactor, type FirstFactorResult, type SignInContext } from "./sign-in";

export type PasskeySignInResult = FirstFactorResult | { ok: false; reason: "passkey_invalid"; cause: string };

export async function signInWithPasskey(env: Env, credential: AssertionJSON, context: SignInContext): Promise<PasskeySignInResult> {
  const check = await checkPasskey(env, credential, null);
  if (!check.ok) return { ok: false, reason: "passkey_invalid", cause: check.reason };
  const user = await findUserById(env, check.userId);
  if (!user || user.disabledAt) return { ok: false, reason: "passkey_invalid", cause: "account disabled" };
  return finishFirstFactor(env, { user, method: "passkey", device: context.device, binding: context.binding, amr: check.amr });
}
