// Second factors and passkeys from the browser: the API calls, the pending second step
// of a sign-in (memory only: a reload starts the sign-in again, as the server would after
// 5 minutes), and the WebAuthn JSON <-> ArrayBuffer conversions (done by hand: the
// parse*FromJSON / toJSON helpers are not in every browser yet).
import type { MfaRequired, PasskeyRequestOptions, Reauthenticated, SignInResponse, TokenResponse } from "../contract/auth";
import type { CredentialDescriptor, MfaStatus, Passkey, PasskeyCreationOptions, PasskeysResponse, RecoveryCodes, TotpSetup } from "../contract/me";
import { api, type ApiResult } from "./api";
import { navigate } from "./router";
import { acceptTokens } from "./session";
import { signal } from "./signal";

export type { MfaStatus, Passkey, TotpSetup };
/** A second step to take; the OAuth callback brings one in the address, without its lifetime. */
type Challenge = Omit<MfaRequired, "expiresIn">;

/** The sign-in waiting for its second step (set by the first factor's page). */
export const pendingChallenge = signal<(Challenge & { returnTo: string }) | null>(null);

/**
 * Every sign-in page ends here: tokens sign in (true), a challenge goes to the second-step
 * page (false). The caller navigates on only when this returns true.
 */
export async function finishSignIn(body: TokenResponse | Challenge, returnTo = "/dashboard"): Promise<boolean> {
  if ("mfaRequired" in body) {
    pendingChallenge.set({ ...body, returnTo });
    navigate("/sign-in/two-step", { replace: true });
    return false;
  }
  await acceptTokens(body);
  return true;
}

export const mfaStatus = () => api<MfaStatus>("/api/me/mfa", { auth: true });
export const setupTotp = () => api<TotpSetup>("/api/me/mfa/totp/setup", { method: "POST", auth: true });
export const confirmTotp = (code: string) => api<RecoveryCodes>("/api/me/mfa/totp/confirm", { json: { code }, auth: true });
export const disableTotp = () => api("/api/me/mfa/totp", { method: "DELETE", auth: true });
export const newRecoveryCodes = () => api<RecoveryCodes>("/api/me/mfa/recovery-codes", { method: "POST", auth: true });
export const listPasskeys = () => api<PasskeysResponse>("/api/me/passkeys", { auth: true });
export const renamePasskey = (id: string, name: string) =>
  api<Passkey>(`/api/me/passkeys/${encodeURIComponent(id)}`, { method: "PATCH", json: { name }, auth: true });
export const removePasskey = (id: string) => api(`/api/me/passkeys/${encodeURIComponent(id)}`, { method: "DELETE", auth: true });
export const reauthenticate = (proof: { password: string } | { totp: string }) => api<Reauthenticated>("/api/auth/reauthenticate", { json: proof, auth: true });
export const verifySecondStep = (mfaToken: string, answer: { code: string } | { recoveryCode: string } | { passkey: unknown }) =>
  api<TokenResponse>("/api/auth/mfa/verify", { json: { mfaToken, ...answer } });

// ---- WebAuthn ---------------------------------------------------------------------
const fromB64 = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
const toB64 = (b: ArrayBuffer | null) =>
  b
    ? btoa(String.fromCharCode(...new Uint8Array(b)))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "")
    : null;
const descriptors = (list: CredentialDescriptor[] | undefined) =>
  list?.map((d) => ({ ...d, id: fromB64(d.id) })) as PublicKeyCredentialDescriptor[] | undefined;

export const passkeysSupported = () => typeof window.PublicKeyCredential === "function";
/** Whether the browser can offer passkeys in autofill (conditional mediation). */
export const autofillSupported = async () =>
  passkeysSupported() && ((await PublicKeyCredential.isConditionalMediationAvailable?.().catch(() => false)) ?? false);

/** Creates a passkey (options from the server) and registers it: the stored passkey, or the problem. */
export async function addPasskey(name: string): Promise<ApiResult<Passkey> | { ok: false; cancelled: true }> {
  const opts = await api<PasskeyCreationOptions>("/api/me/passkeys/options", { json: name ? { name } : {}, auth: true });
  if (!opts.ok) return opts;
  const o = opts.data;
  let cred: PublicKeyCredential;
  try {
    cred = (await navigator.credentials.create({
      publicKey: { ...o, challenge: fromB64(o.challenge), user: { ...o.user, id: fromB64(o.user.id) }, excludeCredentials: descriptors(o.excludeCredentials) },
    })) as PublicKeyCredential;
  } catch {
    return { ok: false, cancelled: true };
  }
  const r = cred.response as AuthenticatorAttestationResponse;
  const credential = {
    id: cred.id,
    rawId: toB64(cred.rawId),
    type: "public-key",
    response: { clientDataJSON: toB64(r.clientDataJSON), attestationObject: toB64(r.attestationObject), transports: r.getTransports?.() ?? [] },
  };
  return api<Passkey>("/api/me/passkeys", { json: { credential, ...(name ? { name } : {}) }, auth: true });
}

/**
 * An assertion for sign-in (no mfaToken), a second step (with one), or a re-authentication.
 * `conditional`: offered in the browser's autofill of the email field (conditional UI)
 * until `signal` aborts it.
 */
export async function passkeyAssertion(mfaToken?: string, conditional?: AbortSignal): Promise<unknown | null> {
  const opts = await api<PasskeyRequestOptions>("/api/auth/passkey/options", { json: mfaToken ? { mfaToken } : {} });
  if (!opts.ok) return null;
  const o = opts.data;
  try {
    const publicKey = { ...o, challenge: fromB64(o.challenge), allowCredentials: descriptors(o.allowCredentials) };
    const cred = (await navigator.credentials.get(
      conditional ? { publicKey, mediation: "conditional", signal: conditional } : { publicKey },
    )) as PublicKeyCredential;
    const r = cred.response as AuthenticatorAssertionResponse;
    return {
      id: cred.id,
      rawId: toB64(cred.rawId),
      type: "public-key",
      response: {
        clientDataJSON: toB64(r.clientDataJSON),
        authenticatorData: toB64(r.authenticatorData),
        signature: toB64(r.signature),
        userHandle: toB64(r.userHandle),
      },
    };
  } catch {
    return null;
  }
}

export const signInWithPasskey = (credential: unknown) => api<SignInResponse>("/api/auth/passkey/verify", { json: { credential } });
