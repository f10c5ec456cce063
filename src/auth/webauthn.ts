// WebAuthn ceremonies (W3C WebAuthn Level 3 §7): parsing by hand (./cbor.ts; the
// @oslojs/webauthn parsers pull in ~6 KiB gzip of CBOR and bigint code) and WebCrypto for
// the signatures. The relying party is PUBLIC_URL: its origin must match
// clientDataJSON.origin exactly and its host is the RP ID (browsers refuse an IP address
// as RP ID: develop at http://localhost:PORT with PUBLIC_URL to match, README "Second
// factors and passkeys"). Challenges are 256-bit, single use and live 5 minutes in a
// Limiter object. Attestation is "none": we trust the key, not the authenticator's make.
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { sha256 } from "@oslojs/crypto/sha2";
import { decodeCbor, type CborValue } from "./cbor";
import { clock } from "../clock";
import { config } from "../config";
import { limiterObject, objectNames } from "../objects/names";
import { sha256Hex } from "./secrets";

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** COSE algorithms offered, best first: EdDSA, ES256, RS256 (WebAuthn §5.8.3 asks for -7 and -257). */
export const ALGORITHMS = [-8, -7, -257] as const;

type ChallengePurpose = { kind: "register"; userId: string; name: string | null } | { kind: "authenticate"; userId: string | null };

export function relyingParty(env: Env) {
  const c = config(env);
  return { id: new URL(c.publicUrl).hostname, name: c.appName, origin: c.origin };
}

const b64 = (bytes: Uint8Array) => encodeBase64urlNoPadding(bytes);
export const userHandle = (userId: string) => b64(new TextEncoder().encode(userId));

function challengeSlot(env: Env, challenge: string) {
  return limiterObject(env, objectNames.webauthnChallenge(sha256Hex(challenge)));
}

/** A fresh challenge, remembered with what it is for. */
export async function newChallenge(env: Env, purpose: ChallengePurpose): Promise<string> {
  const challenge = b64(crypto.getRandomValues(new Uint8Array(32)));
  await challengeSlot(env, challenge).keep(purpose, clock.now() + CHALLENGE_TTL_MS);
  return challenge;
}

/** The challenge's purpose, exactly once; null when unknown, used or expired. */
async function takeChallenge(env: Env, challenge: string): Promise<ChallengePurpose | null> {
  return (await challengeSlot(env, challenge).take(clock.now())) as ChallengePurpose | null;
}

// --- JSON shapes the browser sends (PublicKeyCredential.toJSON(), WebAuthn L3 §5.1) ------

export type RegistrationJSON = {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; attestationObject: string; transports?: string[] };
};
export type AssertionJSON = {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string | null };
};

type VerifiedRegistration = {
  credentialId: string;
  publicKey: JsonWebKey;
  algorithm: number;
  signCount: number;
  backupEligible: boolean;
  backedUp: boolean;
  transports: string[];
  name: string | null;
};

type Failure = { ok: false; reason: string };

const decode = (s: string) => decodeBase64urlIgnorePadding(s);

/** Checks clientDataJSON (§5.8.1): type, origin, not cross-origin; then spends its challenge. */
async function checkClientData(env: Env, raw: Uint8Array, type: "webauthn.create" | "webauthn.get"): Promise<ChallengePurpose | string> {
  const data = JSON.parse(new TextDecoder().decode(raw)) as { type?: unknown; challenge?: unknown; origin?: unknown; crossOrigin?: unknown };
  if (data?.type !== type) return "wrong ceremony type";
  if (data.origin !== relyingParty(env).origin) return "wrong origin";
  if (data.crossOrigin === true) return "cross-origin";
  if (typeof data.challenge !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(data.challenge)) return "malformed challenge";
  return (await takeChallenge(env, data.challenge)) ?? "unknown, used or expired challenge";
}

// Authenticator data (§6.1): rpIdHash(32) flags(1) signCount(4) [attested credential data].
// Flags: UP 0x01, UV 0x04, BE 0x08, BS 0x10, AT 0x40.
type AuthData = { rpIdHash: Uint8Array; flags: number; signCount: number; credential: { id: Uint8Array; key: CborValue } | null };

function parseAuthData(bytes: Uint8Array): AuthData {
  if (bytes.length < 37) throw new Error("authenticator data too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = bytes[32]!;
  let credential: AuthData["credential"] = null;
  if (flags & 0x40) {
    if (bytes.length < 55) throw new Error("attested credential data too short");
    const idLength = view.getUint16(53);
    const id = bytes.slice(55, 55 + idLength);
    if (id.length !== idLength) throw new Error("credential id truncated");
    credential = { id, key: decodeCbor(bytes, 55 + idLength)[0] };
  }
  return { rpIdHash: bytes.slice(0, 32), flags, signCount: view.getUint32(33), credential };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const rightRp = (env: Env, authData: AuthData) => sameBytes(authData.rpIdHash, sha256(new TextEncoder().encode(relyingParty(env).id)));
const has = (authData: AuthData, bit: number) => (authData.flags & bit) !== 0;

/** Verifies a registration (navigator.credentials.create) for `userId`. */
export async function verifyRegistration(env: Env, userId: string, credential: RegistrationJSON): Promise<({ ok: true } & VerifiedRegistration) | Failure> {
  try {
    const purpose = await checkClientData(env, decode(credential.response.clientDataJSON), "webauthn.create");
    if (typeof purpose === "string") return { ok: false, reason: purpose };
    if (purpose.kind !== "register" || purpose.userId !== userId) return { ok: false, reason: "challenge is for something else" };
    const rawAuthData = attestedAuthData(decode(credential.response.attestationObject));
    if (!rawAuthData) return { ok: false, reason: "no authenticator data" };
    const authData = parseAuthData(rawAuthData);
    if (!rightRp(env, authData)) return { ok: false, reason: "wrong RP ID" };
    if (!has(authData, 0x01) || !has(authData, 0x04)) return { ok: false, reason: "user not verified" };
    const cred = authData.credential;
    if (!cred) return { ok: false, reason: "no credential" };
    if (b64(cred.id) !== credential.rawId.replace(/=+$/, "") || cred.id.length > 1023) return { ok: false, reason: "credential id mismatch" };
    const key = toJwk(cred.key);
    if (!key) return { ok: false, reason: "unsupported key type" };
    return {
      ok: true,
      credentialId: b64(cred.id),
      publicKey: key.jwk,
      algorithm: key.alg,
      signCount: authData.signCount,
      backupEligible: has(authData, 0x08),
      backedUp: has(authData, 0x10),
      transports: (credential.response.transports ?? []).filter((t) => typeof t === "string" && /^[a-z-]{1,16}$/.test(t)).slice(0, 8),
      name: purpose.name,
    };
  } catch (e) {
    return { ok: false, reason: `malformed: ${(e as Error).message}` };
  }
}

type StoredKey = { credentialId: string; userId: string; publicKey: string; algorithm: number; signCount: number };
type VerifiedAssertion = { ok: true; signCount: number; backedUp: boolean; purpose: Extract<ChallengePurpose, { kind: "authenticate" }> };

/**
 * Verifies an assertion (navigator.credentials.get) against the stored key. User
 * verification is always required: a passkey here is a whole sign-in (or its second step).
 */
export async function verifyAssertion(env: Env, credential: AssertionJSON, key: StoredKey): Promise<VerifiedAssertion | Failure> {
  try {
    const clientDataJSON = decode(credential.response.clientDataJSON);
    const rawAuthData = decode(credential.response.authenticatorData);
    const authData = parseAuthData(rawAuthData);
    if (!rightRp(env, authData)) return { ok: false, reason: "wrong RP ID" };
    if (!has(authData, 0x01) || !has(authData, 0x04)) return { ok: false, reason: "user not verified" };
    const handle = credential.response.userHandle;
    if (handle && handle !== userHandle(key.userId)) return { ok: false, reason: "user handle mismatch" };
    const message = new Uint8Array([...rawAuthData, ...sha256(clientDataJSON)]);
    if (!(await verifySignature(key, decode(credential.response.signature), message))) return { ok: false, reason: "bad signature" };
    // The challenge is spent only by a correctly signed response, so junk cannot burn another's.
    const purpose = await checkClientData(env, clientDataJSON, "webauthn.get");
    if (typeof purpose === "string") return { ok: false, reason: purpose };
    if (purpose.kind !== "authenticate") return { ok: false, reason: "challenge is for something else" };
    // A counter that does not grow means a cloned authenticator (§6.1.1); 0 = none kept.
    if ((authData.signCount !== 0 || key.signCount !== 0) && authData.signCount <= key.signCount)
      return { ok: false, reason: "signature counter did not grow" };
    return { ok: true, signCount: authData.signCount, backedUp: has(authData, 0x10), purpose };
  } catch (e) {
    return { ok: false, reason: `malformed: ${(e as Error).message}` };
  }
}

// --- keys and signatures ---------------------------------------------------------------

/** A COSE_Key (RFC 9052 §7, RFC 9053) as a JWK, for the algorithms offered; null otherwise. */
function toJwk(cose: CborValue): { jwk: JsonWebKey; alg: number } | null {
  if (!(cose instanceof Map)) return null;
  const kty = cose.get(1);
  const alg = cose.get(3);
  const bytes = (label: number, length?: number) => {
    const v = cose.get(label);
    return v instanceof Uint8Array && (length === undefined || v.length === length) ? b64(v) : null;
  };
  if (kty === 2 && alg === -7 && cose.get(-1) === 1) {
    const x = bytes(-2, 32);
    const y = bytes(-3, 32);
    return x && y ? { alg, jwk: { kty: "EC", crv: "P-256", x, y } } : null;
  }
  if (kty === 1 && alg === -8 && cose.get(-1) === 6) {
    const x = bytes(-2, 32);
    return x ? { alg, jwk: { kty: "OKP", crv: "Ed25519", x } } : null;
  }
  if (kty === 3 && alg === -257) {
    const n = cose.get(-1);
    const e = bytes(-2);
    return n instanceof Uint8Array && n.length >= 256 && e ? { alg, jwk: { kty: "RSA", n: b64(n), e } } : null;
  }
  return null;
}

type SubtleAlgorithm = Parameters<SubtleCrypto["verify"]>[0];
const IMPORT: Record<number, { import: Parameters<SubtleCrypto["importKey"]>[2]; verify: SubtleAlgorithm }> = {
  [-7]: { import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
  [-8]: { import: { name: "Ed25519" }, verify: { name: "Ed25519" } },
  [-257]: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
};

async function verifySignature(key: StoredKey, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  const alg = IMPORT[key.algorithm];
  if (!alg) return false;
  // ECDSA signatures arrive DER-encoded (WebAuthn §6.5.6); WebCrypto wants r || s.
  const sig = key.algorithm === -7 ? derToRaw(signature) : signature;
  if (!sig) return false;
  const publicKey = await crypto.subtle.importKey("jwk", JSON.parse(key.publicKey) as JsonWebKey, alg.import, false, ["verify"]);
  return crypto.subtle.verify(alg.verify, publicKey, sig, message);
}

/** DER SEQUENCE { INTEGER r, INTEGER s } -> 64 bytes, or null when malformed. */
function derToRaw(der: Uint8Array): Uint8Array | null {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return null;
  const out = new Uint8Array(64);
  let at = 2;
  for (const offset of [0, 32]) {
    if (der[at] !== 0x02) return null;
    const len = der[at + 1]!;
    let int = der.subarray(at + 2, at + 2 + len);
    if (int.length !== len || len === 0) return null;
    while (int.length > 32 && int[0] === 0) int = int.subarray(1);
    if (int.length > 32) return null;
    out.set(int, offset + 32 - int.length);
    at += 2 + len;
  }
  return at === der.length ? out : null;
}

/**
 * The authenticator data of an attestation object (CBOR {fmt, attStmt, authData}). The
 * statement is not examined: with attestation "none" there is nothing it could prove to us.
 */
function attestedAuthData(attestationObject: Uint8Array): Uint8Array | null {
  const [decoded, end] = decodeCbor(attestationObject);
  if (end !== attestationObject.length || !(decoded instanceof Map)) return null;
  const authData = decoded.get("authData");
  return authData instanceof Uint8Array ? authData : null;
}
