// Random secrets and their hashes. Secrets are never stored: only SHA-256 of them,
// which is enough for 256-bit random values (no need for a slow hash).
import { generateRandomString, type RandomReader } from "@oslojs/crypto/random";
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

const random: RandomReader = {
  read(bytes) {
    crypto.getRandomValues(bytes);
  },
};

const encoder = new TextEncoder();

/** 256 bits from the CSPRNG, base64url: refresh tokens, link tokens. */
export function randomToken(bytes = 32): string {
  return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A random id for rows and sessions (128 bits, URL-safe). */
export function randomId(): string {
  return randomToken(16);
}

/** Six unbiased decimal digits: rejection sampling, not `% 10` (docs/architecture.md §5). */
export function randomDigits(length = 6): string {
  return generateRandomString(random, "0123456789", length);
}

export function sha256Hex(value: string): string {
  return encodeHexLowerCase(sha256(encoder.encode(value)));
}

export function safeEqual(a: string, b: string): boolean {
  const ab = encoder.encode(a);
  const bb = encoder.encode(b);
  return ab.length === bb.length && constantTimeEqual(ab, bb);
}
