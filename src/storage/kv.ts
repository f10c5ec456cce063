// Every KV key this service writes, in one place (README "Storage" lists them with TTLs).
// Keys never contain a secret or a raw email/phone: secrets and targets are SHA-256'd.
// KV facts that shape this: expirationTtl >= 60 s, eventual consistency (~60 s), no
// compare-and-set — so anything single-use is fenced by a Durable Object, not by KV.

export const kvKeys = {
  /** A one-time-code challenge for (purpose, target). */
  challenge: (purpose: string, targetHash: string) => `otp:${purpose}:${targetHash}`,
  /** A link token pointing at its challenge. */
  challengeLink: (tokenHash: string) => `otp-link:${tokenHash}`,
  /** A pending email registration (its password hash waits for its own code), by SHA-256 of its registration token. */
  registration: (tokenHash: string) => `registration:${tokenHash}`,
  /** A half-finished phone sign-up, by SHA-256 of its resume token. */
  phoneSignup: (tokenHash: string) => `signup-phone:${tokenHash}`,
  /** Development outbox, newest first (inverted timestamp sorts first). */
  outbox: (toHash: string, at: number) => `outbox:${toHash}:${(9e15 - at).toString().padStart(16, "0")}:${crypto.randomUUID()}`,
  outboxPrefix: (toHash: string) => `outbox:${toHash}:`,
  /** A social sign-in transaction (state, PKCE verifier, nonce, returnTo), by SHA-256 of its state. */
  oauthState: (stateHash: string) => `oauth-state:${stateHash}`,
  /** A cached OpenID Connect discovery document, by SHA-256 of the issuer URL. */
  oidcDiscovery: (issuerHash: string) => `oidc-discovery:${issuerHash}`,
  /** Edge read model of one session (live/ended, expiry), published by its SessionFence. */
  sessionState: (userId: string, sessionId: string) => `session:${userId}:${sessionId}`,
  /** The address a user asked to move to, until its code is confirmed or expires (10 min). */
  emailChange: (userId: string) => `email-change:${userId}`,
  /** A reactivation offered after a right password on a deactivated account, by SHA-256 of its token. */
  reactivation: (tokenHash: string) => `reactivate:${tokenHash}`,
} as const;

/** KV refuses TTLs under 60 s. */
export const kvTtl = (seconds: number) => Math.max(60, Math.ceil(seconds));

export async function getJson<T>(kv: KVNamespace, key: string): Promise<T | null> {
  return kv.get<T>(key, "json");
}

export async function putJson(kv: KVNamespace, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  await kv.put(key, JSON.stringify(value), { expirationTtl: kvTtl(ttlSeconds) });
}
