// Shapes of the identifiers and opaque tokens this service issues, in one place, so every
// parser refuses the same malformed input before it reaches a store (src/auth/secrets.ts
// makes them: randomId() = 128-bit, randomToken() = 256-bit, both base64url).
export const ID = {
  /** A user id (randomId) — also accepts the wider range older/foreign ids may use. */
  user: /^[A-Za-z0-9_-]{1,64}$/,
  /** A session, identity or other record id (randomId). */
  record: /^[A-Za-z0-9_-]{16,64}$/,
  /** A 256-bit secret (randomToken): link tokens, resume tokens, binding values. */
  token256: /^[A-Za-z0-9_-]{43}$/,
  /** An OAuth `state` value. */
  oauthState: /^[A-Za-z0-9_-]{16,128}$/,
  /** A JWS in compact serialisation (three base64url parts); anything else is refused unread. */
  compactJws: /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}$/,
} as const;
