// Every Durable Object instance this service addresses, named in one place (the KV key
// layout is in src/storage/kv.ts; README "Storage" lists both). Names never contain a
// secret or a raw email/phone/IP: callers pass SHA-256 hashes.
export const objectNames = {
  /** SessionFence: all sessions and known devices of one user. */
  sessions: (userId: string) => `user:${userId}`,
  /** Limiter: failed password sign-ins for one account (by hash of the normalised email). */
  signIn: (emailHash: string) => `signin:${emailHash}`,
  /** Limiter: wrong-code budgets and single use of every one-time code sent to one target (all purposes). */
  codes: (targetKey: string) => `codes:${targetKey}`,
  /** Limiter: single use of a social sign-in transaction. */
  oauthState: (stateHash: string) => `oauth-state:${stateHash}`,
  /** Limiter: a message a provider accepted (record kept until its code expires), by SHA-256 of "<provider>:<provider message id>". */
  providerMessage: (idHash: string) => `provider-msg:${idHash}`,
  /** Limiter: the one fallback send after a late delivery failure of a message. */
  deliveryFallback: (messageId: string) => `delivery-fallback:${messageId}`,
  /** Limiter: one user's second factor: the last accepted TOTP step and failed second steps (lock-out). */
  secondFactor: (userId: string) => `second-factor:${userId}`,
  /** Limiter: a sign-in waiting for its second step, by SHA-256 of its mfaToken. */
  mfaChallenge: (tokenHash: string) => `mfa:${tokenHash}`,
  /** Limiter: one WebAuthn challenge (single use, 5 minutes), by SHA-256 of the challenge. */
  webauthnChallenge: (challengeHash: string) => `webauthn:${challengeHash}`,
  /** Limiter: every window of one action's rules for one subject (charged all or nothing). */
  rateLimit: (action: string, by: string, subjectHash: string) => `rl:${action}:${by}:${subjectHash}`,
} as const;

/** The SessionFence of one user: the authority on that user's sessions. */
export function sessionObject(env: Env, userId: string) {
  return env.SESSIONS.get(env.SESSIONS.idFromName(objectNames.sessions(userId)));
}

/** A Limiter instance by its catalogued name. */
export function limiterObject(env: Env, name: string) {
  return env.LIMITER.get(env.LIMITER.idFromName(name));
}
