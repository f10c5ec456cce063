// Sealing secrets the service must read back later (the TOTP secret: unlike a password it
// cannot be stored as a hash, the server needs it to compute codes). AES-256-GCM under
// MFA_ENCRYPTION_KEY (32 random bytes, base64url; a Worker secret), a fresh 96-bit IV per
// seal, and the owner's user id as additional data, so a ciphertext copied onto another
// account's row does not open. Format: "v1.<iv>.<ciphertext+tag>" (base64url): the
// version leaves room for a key rotation.
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { ApiError } from "../errors";

const keys = new Map<string, Promise<CryptoKey>>();

function sealingKey(env: Env): Promise<CryptoKey> {
  const raw = env.MFA_ENCRYPTION_KEY;
  let key = raw ? keys.get(raw) : undefined;
  if (key) return key;
  let bytes: Uint8Array | null = null;
  try {
    bytes = raw ? decodeBase64urlIgnorePadding(raw.trim()) : null;
  } catch {
    bytes = null;
  }
  if (bytes?.length !== 32) {
    // A deployment problem, not the user's: say what to fix in the log, 503 on the wire.
    throw new ApiError("service_unavailable", {
      detail: "Two-step verification is not available right now.",
      cause: new Error(
        'MFA_ENCRYPTION_KEY is missing or not 32 bytes of base64url: set it with `wrangler secret put MFA_ENCRYPTION_KEY` (README "Second factors and passkeys")',
      ),
    });
  }
  key = crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
  keys.set(raw!, key);
  return key;
}

const encoder = new TextEncoder();

export async function seal(env: Env, plaintext: Uint8Array, owner: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(owner) }, await sealingKey(env), plaintext);
  return `v1.${encodeBase64urlNoPadding(iv)}.${encodeBase64urlNoPadding(new Uint8Array(sealed))}`;
}

/** The plaintext, or null when the box does not open (wrong key, wrong owner, tampered). */
export async function open(env: Env, boxed: string, owner: string): Promise<Uint8Array | null> {
  const [version, iv, data] = boxed.split(".");
  if (version !== "v1" || !iv || !data) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: decodeBase64urlIgnorePadding(iv), additionalData: encoder.encode(owner) },
      await sealingKey(env),
      decodeBase64urlIgnorePadding(data),
    );
    return new Uint8Array(plain);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    return null;
  }
}
