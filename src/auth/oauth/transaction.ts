// One social sign-in transaction: state (CSRF, RFC 6749 §10.12), PKCE S256 verifier
// (RFC 7636) and OIDC nonce (replay), stored server-side in KV and bound to the browser
// by a cookie whose SHA-256 is kept with them. The callback proves all three: the
// state names a live transaction, the cookie matches it (so a state lured into another
// browser fails: login CSRF), and it has not been used before (Durable Object fence).
// A link (adding a provider to a signed-in account) is also bound to the session that
// started it: if that session ends before the callback, nothing is linked.
import { clock } from "../../clock";
import { consumeOAuthTransaction, OAUTH_TRANSACTION_TTL_SECONDS, readOAuthTransaction, saveOAuthTransaction, type OAuthTransaction } from "../../storage/oauth";
import { randomToken, safeEqual, sha256Hex } from "../secrets";
import { isSessionActive } from "../session";
import { verifyIdToken } from "./id-token";
import { fetchProfile, profileFromClaims, type ProviderProfile } from "./profiles";
import { type ExchangedTokens, type IdTokenRules, newCodeVerifier, newState, type OAuthProvider } from "./providers";
import { ID } from "../../model/ids";

const BINDING = ID.token256;
const STATE = ID.oauthState;

export type BeginInput = { returnTo: string; mode: "sign_in" } | { returnTo: string; mode: "link"; userId: string; sessionId: string };

/**
 * Returns the provider URL and the binding secret to set as a cookie, or null when the
 * provider cannot be reached (generic OIDC discovery failed).
 */
export async function beginOAuth(env: Env, provider: OAuthProvider, input: BeginInput): Promise<{ url: URL; binding: string } | null> {
  // A new binding for every transaction, never the value the browser sent: a value an
  // attacker managed to plant in the victim's browser (a cookie set from a sibling
  // subdomain, say) would otherwise bind the victim to the attacker's transaction (login
  // CSRF). The cost: starting a second flow in another tab makes the first one's
  // callback fail ("start again").
  const binding = randomToken();
  const state = newState();
  const codeVerifier = newCodeVerifier();
  const nonce = randomToken();
  let url: URL;
  try {
    url = await provider.authorizationUrl(state, codeVerifier, nonce);
  } catch (e) {
    console.warn(`[oauth] ${provider.id}: cannot build the authorization URL`, e);
    return null;
  }
  await saveOAuthTransaction(env, state, {
    provider: provider.id,
    codeVerifier,
    nonce,
    bindingHash: sha256Hex(binding),
    returnTo: input.returnTo,
    mode: input.mode,
    userId: input.mode === "link" ? input.userId : null,
    sessionId: input.mode === "link" ? input.sessionId : null,
    expiresAt: clock.now() + OAUTH_TRANSACTION_TTL_SECONDS * 1000,
  });
  return { url, binding };
}

export type CallbackInput = { state?: string; code?: string; error?: string; binding?: string };

export type Failure = { ok: false; code: "oauth_state_invalid" | "oauth_denied" | "oauth_failed" | "session_ended"; reason: string; tx?: OAuthTransaction };
export type CallbackOutcome = { ok: true; tx: OAuthTransaction; profile: ProviderProfile } | Failure;

const fail = (code: Failure["code"], reason: string, tx?: OAuthTransaction): Failure => ({ ok: false, code, reason, ...(tx ? { tx } : {}) });

export async function completeOAuth(env: Env, provider: OAuthProvider, input: CallbackInput): Promise<CallbackOutcome> {
  if (!input.state || !STATE.test(input.state)) return fail("oauth_state_invalid", "state_missing");
  if (!input.binding || !BINDING.test(input.binding)) return fail("oauth_state_invalid", "binding_cookie_missing");
  const tx = await readOAuthTransaction(env, input.state);
  if (!tx || tx.provider !== provider.id) return fail("oauth_state_invalid", "state_unknown");
  if (!safeEqual(sha256Hex(input.binding), tx.bindingHash)) return fail("oauth_state_invalid", "binding_mismatch");
  if (tx.expiresAt <= clock.now()) return fail("oauth_state_invalid", "state_expired");
  if (!(await consumeOAuthTransaction(env, input.state, tx))) return fail("oauth_state_invalid", "state_reused");

  // Before the code is exchanged: a link whose session ended (signed out, revoked after a
  // theft) must not go on to attach the provider account to the user.
  if (tx.mode === "link" && !(tx.userId && tx.sessionId && (await isSessionActive(env, tx.userId, tx.sessionId))))
    return fail("session_ended", "link_session_ended", tx);
  if (input.error) return fail("oauth_denied", `provider_error:${input.error.slice(0, 64)}`, tx);
  if (!input.code || input.code.length > 2048) return fail("oauth_failed", "code_missing", tx);

  let tokens: ExchangedTokens;
  try {
    tokens = await provider.exchangeCode(input.code, tx.codeVerifier);
  } catch (e) {
    return fail("oauth_failed", `token_exchange: ${(e as Error).message}`.slice(0, 200), tx);
  }
  // The provider's tokens are used right here and then dropped: nothing is stored.
  if (provider.idTokenRules) {
    if (!tokens.idToken) return fail("oauth_failed", "id_token_missing", tx);
    let rules: IdTokenRules;
    try {
      rules = await provider.idTokenRules();
    } catch (e) {
      return fail("oauth_failed", `discovery: ${(e as Error).message}`.slice(0, 200), tx);
    }
    const verified = await verifyIdToken(tokens.idToken, rules, tx.nonce);
    if (!verified.ok) return fail("oauth_failed", `id_token:${verified.reason}`, tx);
    return { ok: true, tx, profile: profileFromClaims(verified.claims, rules) };
  }
  const profile = await fetchProfile(provider.id, tokens.accessToken);
  return profile.ok ? { ok: true, tx, profile: profile.profile } : fail("oauth_failed", profile.reason, tx);
}
