// Social sign-in state in KV: transactions (single-use, fenced by a Limiter object since
// KV has no compare-and-set) and the OpenID Connect discovery cache.
import { clock } from "../clock";
import { sha256Hex } from "../auth/secrets";
import { getJson, kvKeys, putJson } from "./kv";
import { limiterObject, objectNames } from "../objects/names";

export type OAuthTransaction = {
  provider: string;
  /** PKCE code verifier (RFC 7636): sent only to the provider's token endpoint. */
  codeVerifier: string;
  /** OIDC nonce: must come back inside the signed id_token. */
  nonce: string;
  /** SHA-256 of the browser-binding cookie: a state from another browser is refused. */
  bindingHash: string;
  /** Same-origin path to land on afterwards (already validated). */
  returnTo: string;
  mode: "sign_in" | "link";
  /** Link mode: the signed-in user who started it. */
  userId: string | null;
  /** Link mode: the session that started it; the callback refuses the link once it has ended (absent on records from before it existed: refused too). */
  sessionId?: string | null;
  expiresAt: number;
};

/** Ten minutes to get through the provider's pages (KV TTL minimum is 60 s). */
export const OAUTH_TRANSACTION_TTL_SECONDS = 600;

export async function saveOAuthTransaction(env: Env, state: string, tx: OAuthTransaction): Promise<void> {
  await putJson(env.KV, kvKeys.oauthState(sha256Hex(state)), tx, OAUTH_TRANSACTION_TTL_SECONDS);
}

export async function readOAuthTransaction(env: Env, state: string): Promise<OAuthTransaction | null> {
  return getJson<OAuthTransaction>(env.KV, kvKeys.oauthState(sha256Hex(state)));
}

/**
 * Marks the transaction used: true exactly once. KV reads are eventually consistent and
 * deletes take time to propagate, so the single-use guarantee comes from a Durable Object.
 */
export async function consumeOAuthTransaction(env: Env, state: string, tx: OAuthTransaction): Promise<boolean> {
  const stateHash = sha256Hex(state);
  const fence = limiterObject(env, objectNames.oauthState(stateHash));
  const first = await fence.redeem("state", tx.expiresAt, clock.now());
  if (first) await env.KV.delete(kvKeys.oauthState(stateHash));
  return first;
}

export const DISCOVERY_TTL_SECONDS = 3600;

export async function readCachedDiscovery<T>(env: Env, issuer: string): Promise<T | null> {
  return getJson<T>(env.KV, kvKeys.oidcDiscovery(sha256Hex(issuer)));
}

export async function cacheDiscovery(env: Env, issuer: string, doc: unknown): Promise<void> {
  await putJson(env.KV, kvKeys.oidcDiscovery(sha256Hex(issuer)), doc, DISCOVERY_TTL_SECONDS);
}
