// WebAuthn ceremonies (W3C WebAuthn Level 3 §7) with @oslojs/webauthn for the parsing and
// WebCrypto for the signatures. The relying party is PUBLIC_URL: its origin must match
// clientDataJSON.origin exactly and its host is the RP ID (browsers refuse an IP address
// as RP ID: develop at http://localhost:PORT with PUBLIC_URL to match, README "Second
// factors and passkeys"). Challenges are 256-bit, single use and live 5 minutes in a
// Limiter object. Attestation is "none": we trust the key, not the authenticator's make.
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { sha256 } from "@oslojs/crypto/sha2";
import { decodeCBORToNativeValueNoLeftoverBytes } from "@oslojs/cbor";
import { ClientDataType, COSEKeyType, parseAuthenticatorData, parseClientDataJSON, type COSEPublicKey } from "@oslojs/webauthn";
import { clock } from "../clock";
import { config } from "../config";
import { limiterObject, objectNames } from "../objects/names";
import { sha256Hex } from "./secrets";

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** COSE algorithms offered, best first: EdDSA, ES256, RS256 (WebAuthn §5.8.3 asks for -7 and -257). */
export const ALGORITHMS = [-8, -7, -257] as const;

export type ChallengePurpose = { kind: "register"; userId: string; name: string | null } | { kind: "authenticate"; userId: string | null };

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
async function takeChallenge(env: Env, challenge: Uint8Array): Promise<ChallengePurpose | null> {
  if (challenge.length !== 32) return null;
  return (await challengeSlot(env, b64(challenge)).take(clock.now())) as ChallengePurpose | null;
}

// --- JSON shapes the browser sends (PublicKeyCredential.toJSON(), WebAuthn L3 §5.1) ------

export type RegistrationJSON = { id: string; rawId: string; type: "public-key"; response: { clientDataJSON: string; attestationObject: string; transports?: string[] } };
export type AssertionJSON = { id: string; rawId: string; type: "public-key"; response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string | null } };

export type VerifiedRegistration = {
  credentialId: string;
  publicKey: JsonWebKey;
  algorithm: number;
  signCount: number;
  backupEligible: boolean;
  backedUp: boolean;
  transports: string[];
  name: string | null;
};

export type Failure = { ok: false; reason: string };

const decode = (s: string) => decodeBase64urlIgnorePadding(s);

/** Checks clientDataJSON: type, origin, not cross-origin; then spends its challenge. */
async function checkClientData(env: Env, raw: Uint8Array, type: ClientDataType): Promise<ChallengePurpose | string> {
  const data = parseClientDataJSON(raw);
  if (data.type !== type) return "wrong ceremony type";
  if (data.origin !== relyingParty(env).origin) return "wrong origin";
  if (data.crossOrigin) return "cross-origin";
  return (await takeChallenge(env, data.challenge)) ?? "unknown, used or expired challenge";
}

// Flags byte (WebAuthn §6.1): UP 0x01, UV 0x04, BE 0x08, BS 0x10.
const flag = (authData: Uint8Array, bit: number) => (authData[32]! & bit) !== 0;

/** Verifies a registration (navigator.credentials.create) for `userId`. */
export async function verifyRegistration(env: Env, userId: string, credential: RegistrationJSON): Promise<({ ok: true } & VerifiedRegistration) | Failure> {
  try {
    const purpose = await checkClientData(env, decode(credential.response.clientDataJSON), ClientDataType.Create);
    if (typeof purpose === "string") return { ok: false, reason: purpose };
    if (purpose.kind !== "register" || purpose.userId !== userId) return { ok: false, reason: "challenge is for something else" };
    const rawAuthData = attestedAuthData(decode(credential.response.attestationObject));
    if (!rawAuthData) return { ok: false, reason: "no authenticator data" };
    const authenticatorData = parseAuthenticatorData(rawAuthData);
    if (!authenticatorData.verifyRelyingPartyIdHash(relyingParty(env).id)) return { ok: false, reason: "wrong RP ID" };
    if (!authenticatorData.userPresent || !authenticatorData.userVerified) return { ok: false, reason: "user not verified" };
    const cred = authenticatorData.credential;
    if (!cred) return { ok: false, reason: "no credential" };
    if (b64(cred.id) !== credential.rawId.replace(/=+$/, "") || cred.id.length > 1023) return { ok: false, reason: "credential id mismatch" };
    const key = toJwk(cred.publicKey);
    if (!key) return { ok: false, reason: "unsupported key type" };
    return {
      ok: true,
      credentialId: b64(cred.id),
      publicKey: key.jwk,
      algorithm: key.alg,
      signCount: authenticatorData.signatureCounter,
      backupEligible: flag(rawAuthData, 0x08),
      backedUp: flag(rawAuthData, 0x10),
      transports: (credential.response.transports ?? []).filter((t) => typeof t === "string" && /^[a-z-]{1,16}$/.test(t)).slice(0, 8),
      name: purpose.name,
    };
  } catch (e) {
    return { ok: false, reason: `malformed: ${(e as Error).message}` };
  }
}

export type StoredKey = { credentialId: string; userId: string; publicKey: string; algorithm: number; signCount: number };
export type VerifiedAssertion = { ok: true; signCount: number; backedUp: boolean; purpose: Extract<ChallengePurpose, { kind: "authenticate" }> };

/**
 * Verifies an assertion (navigator.credentials.get) against the stored key. User
 * verification is always required: a passkey here is a whole sign-in (or its second step).
 */
export async function verifyAssertion(env: Env, credential: AssertionJSON, key: StoredKey): Promise<VerifiedAssertion | Failure> {
  try {
    const clientDataJSON = decode(credential.response.clientDataJSON);
    const rawAuthData = decode(credential.response.authenticatorData);
    const authData = parseAuthenticatorData(rawAuthData);
    if (!authData.verifyRelyingPartyIdHash(relyingParty(env).id)) return { ok: false, reason: "wrong RP ID" };
    if (!authData.userPresent || !authData.userVerified) return { ok: false, reason: "user not verified" };
    const handle = credential.response.userHandle;
    if (handle && handle !== userHandle(key.userId)) return { ok: false, reason: "user handle mismatch" };
    const message = new Uint8Array([...rawAuthData, ...sha256(clientDataJSON)]);
    if (!(await verifySignature(key, decode(credential.response.signature), message))) return { ok: false, reason: "bad signature" };
    // The challenge is spent only by a correctly signed response, so junk cannot burn another's.
    const purpose = await checkClientData(env, clientDataJSON, ClientDataType.Get);
    if (typeof purpose === "string") return { ok: false, reason: purpose };
    if (purpose.kind !== "authenticate") return { ok: false, reason: "challenge is for something else" };
    // A counter that does not grow means a cloned authenticator (§6.1.1); 0 = none kept.
    if ((authData.signatureCounter !== 0 || key.signCount !== 0) && authData.signatureCounter <= key.signCount) return { ok: false, reason: "signature counter did not grow" };
    return { ok: true, signCount: authData.signatureCounter, backedUp: flag(rawAuthData, 0x10), purpose };
  } catch (e) {
    return { ok: false, reason: `malformed: ${(e as Error).message}` };
  }
}

// --- keys and signatures ---------------------------------------------------------------

function bigintBytes(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

function toJwk(key: COSEPublicKey): { jwk: JsonWebKey; alg: number } | null {
  const alg = key.isAlgorithmDefined() ? key.algorithm() : null;
  const type = key.type();
  if (type === COSEKeyType.EC2 && alg === -7) {
    const { curve, x, y } = key.ec2();
    return curve === 1 ? { alg, jwk: { kty: "EC", crv: "P-256", x: b64(bigintBytes(x, 32)), y: b64(bigintBytes(y, 32)) } } : null;
  }
  if (type === COSEKeyType.OKP && alg === -8) {
    const { curve, x } = key.okp();
    return curve === 6 && x.length === 32 ? { alg, jwk: { kty: "OKP", crv: "Ed25519", x: b64(x) } } : null;
  }
  if (type === COSEKeyType.RSA && alg === -257) {
    const { n, e } = key.rsa();
    const bytes = (v: bigint) => bigintBytes(v, Math.ceil(v.toString(16).length / 2));
    return n.toString(2).length >= 2048 ? { alg, jwk: { kty: "RSA", n: b64(bytes(n)), e: b64(bytes(e)) } } : null;
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
  const decoded = decodeCBORToNativeValueNoLeftoverBytes(attestationObject, 4) as { authData?: unknown } | null;
  return decoded && decoded.authData instanceof Uint8Array ? decoded.authData : null;
}
