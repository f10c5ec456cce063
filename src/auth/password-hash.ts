// Password hashing: Argon2id (RFC 9106) from a vendored, precompiled wasm
// module (see ./argon2/README.md for its origin and why it is vendored).
//
// Why this module and these numbers (docs/architecture.md §5, §8):
// - Production Workers refuse runtime wasm compilation, so the .wasm is
//   imported as a module (wrangler's default CompiledWasm rule) and only
//   instantiated here. The build uses wasm SIMD; in Node on this machine it
//   is ~1.8-2x faster than hash-wasm 4.13 and 1.6-2.2x faster than
//   argon2id 1.0.1 at the same parameters.
// - OWASP Password Storage Cheat Sheet lists equivalent Argon2id points
//   (p=1): m=47104 t=1, m=19456 t=2, m=12288 t=3, m=9216 t=4, m=7168 t=5.
//   Measured in workerd (bench/password-hash.bench.ts, one run, 2 cores,
//   mean ms per hash):
//     m=19456,t=2 28.5   m=12288,t=3 27.5   m=9216,t=4 27.1
//     m=7168,t=5  25.4  <- chosen (fastest; scrypt N=2^14 r=8 p=5 via
//                          node:crypto: 174 ms, 6.9x slower)
//   7 MiB t=5 is also the smallest memory, which matters under the 128 MB
//   isolate limit: the wasm memory stays at its initial 16 MiB instead of
//   growing to ~20 MiB (and wasm memory never shrinks).
// - A hash is synchronous and blocks its isolate: sign-in throughput per
//   isolate is 1 / hash time, so the fastest OWASP point is the right one.
//
// Stored format (PHC string, RFC 9106 / phc-string-format):
//   $argon2id$v=19$m=7168,t=5,p=1$<salt b64>$<hash b64>          no pepper
//   $argon2id$v=19$m=7168,t=5,p=1,k=1$<salt b64>$<hash b64>      peppered
// `k=1` records that the Argon2 password input was HMAC-SHA-256(pepper,
// password) rather than the password itself. Argon2's own secret input K is
// not exported by this wasm build, so the pepper is applied as an HMAC
// pre-hash (the construction OWASP describes for peppers). The HMAC output
// is 32 bytes, so nothing is truncated and the pepper never reaches wasm.
// A hash made without a pepper still verifies once a pepper is configured
// and reports needsRehash, so it is upgraded at the next sign-in.
//
// Passwords arrive already NFKC-normalised by the caller (docs/architecture.md §5); this
// module hashes their UTF-8 bytes as given and never truncates them.

import argon2Wasm from "./argon2/argon2.wasm";

export type PasswordHashConfig = { pepper?: string };

export type Argon2Params = { m: number; t: number; p: number };

/** The parameters new hashes get; older hashes report needsRehash. */
export const CURRENT_PARAMS: Readonly<Argon2Params> = Object.freeze({ m: 7168, t: 5, p: 1 });

const SALT_BYTES = 16; // RFC 9106 recommends 128-bit salts
const HASH_BYTES = 32;
const ARGON2_ID = 2;
const ARGON2_VERSION_13 = 0x13;
// Upper bounds on parameters read back from storage: a corrupted or hostile
// row must not make one verify allocate most of the 128 MB isolate or run
// for seconds. Wasm memory never shrinks once grown.
const MAX_M_KIB = 32768;
const MAX_T = 16;
// The caller accepts at most 256 characters; NFKC can expand a few code
// points a lot, so leave room, but refuse megabyte inputs outright.
const MAX_PASSWORD_BYTES = 4096;

type Argon2Exports = {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  _initialize(): void;
  argon2_hash(
    t: number,
    m: number,
    p: number,
    pwd: number,
    pwdlen: number,
    salt: number,
    saltlen: number,
    hash: number,
    hashlen: number,
    encoded: number,
    encodedlen: number,
    type: number,
    version: number,
  ): number;
};

let argon2: Argon2Exports | null = null;

function instance(): Argon2Exports {
  if (argon2 === null) {
    // The module has no imports. Instantiating a precompiled Module is
    // allowed in production (only compiling bytes at run time is refused).
    const exports = new WebAssembly.Instance(argon2Wasm, {}).exports as unknown as Argon2Exports;
    exports._initialize();
    argon2 = exports;
  }
  return argon2;
}

/**
 * Raw Argon2id (v1.3, p lanes, no secret, no associated data). Exported for
 * the known-answer tests and the benchmark.
 */
export function argon2id(password: Uint8Array, salt: Uint8Array, params: Argon2Params, tagLength = HASH_BYTES): Uint8Array {
  const wasm = instance();
  const pwd = wasm.malloc(Math.max(password.length, 1));
  const slt = wasm.malloc(salt.length);
  const out = wasm.malloc(tagLength);
  try {
    if (pwd === 0 || slt === 0 || out === 0) throw new Error("argon2: out of memory");
    const heap = new Uint8Array(wasm.memory.buffer);
    heap.set(password, pwd);
    heap.set(salt, slt);
    const rc = wasm.argon2_hash(params.t, params.m, params.p, pwd, password.length, slt, salt.length, out, tagLength, 0, 0, ARGON2_ID, ARGON2_VERSION_13);
    if (rc !== 0) throw new Error(`argon2: error ${rc}`);
    // memory.buffer may have been replaced by growth during the hash.
    const after = new Uint8Array(wasm.memory.buffer);
    const tag = after.slice(out, out + tagLength);
    after.fill(0, pwd, pwd + password.length); // do not leave the password in the heap
    return tag;
  } catch (error) {
    // A trap can leave the instance inconsistent: start a fresh one next time.
    argon2 = null;
    throw error;
  } finally {
    if (argon2 !== null) {
      wasm.free(pwd);
      wasm.free(slt);
      wasm.free(out);
    }
  }
}

const utf8 = new TextEncoder();

async function argon2Input(password: string, pepper: string | undefined): Promise<Uint8Array> {
  const bytes = utf8.encode(password);
  if (bytes.length > MAX_PASSWORD_BYTES) throw new RangeError("password too long");
  if (pepper === undefined) return bytes;
  const key = await crypto.subtle.importKey("raw", utf8.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
}

function pepperOf(config: PasswordHashConfig): string | undefined {
  // An empty secret is treated as "no pepper", not as a key.
  return config.pepper ? config.pepper : undefined;
}

export async function hashPassword(password: string, config: PasswordHashConfig): Promise<string> {
  const pepper = pepperOf(config);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const tag = argon2id(await argon2Input(password, pepper), salt, CURRENT_PARAMS);
  return formatPhc(CURRENT_PARAMS, pepper !== undefined, salt, tag);
}

export async function verifyPasswordHash(password: string, stored: string, config: PasswordHashConfig): Promise<{ ok: boolean; needsRehash: boolean }> {
  const pepper = pepperOf(config);
  const parsed = parsePhc(stored);
  if (parsed === null || (parsed.peppered && pepper === undefined)) {
    // Unreadable row, or a peppered hash while the pepper secret is missing
    // (misconfiguration): it cannot match, but spend the same time anyway.
    await burnPasswordHash(password, config);
    return { ok: false, needsRehash: false };
  }
  const input = await argon2Input(password, parsed.peppered ? pepper : undefined);
  // Hash to the stored tag length, so rows imported with other lengths verify
  // (and get rehashed to the current format).
  const tag = argon2id(input, parsed.salt, parsed.params, parsed.hash.length);
  const ok = constantTimeEqual(tag, parsed.hash);
  const needsRehash =
    parsed.params.m !== CURRENT_PARAMS.m ||
    parsed.params.t !== CURRENT_PARAMS.t ||
    parsed.params.p !== CURRENT_PARAMS.p ||
    parsed.salt.length !== SALT_BYTES ||
    parsed.hash.length !== HASH_BYTES ||
    parsed.peppered !== (pepper !== undefined);
  return { ok, needsRehash };
}

/** Costs what a verify costs (HMAC when peppered + Argon2id at current params). */
export async function burnPasswordHash(password: string, config: PasswordHashConfig): Promise<void> {
  const input = await argon2Input(password, pepperOf(config));
  argon2id(input, crypto.getRandomValues(new Uint8Array(SALT_BYTES)), CURRENT_PARAMS);
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  // Lengths are public (they are in the stored string); contents are not.
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// --- PHC string -------------------------------------------------------------

type ParsedPhc = { params: Argon2Params; peppered: boolean; salt: Uint8Array; hash: Uint8Array };

const PHC = /^\$argon2id\$v=19\$m=([1-9]\d{0,9}),t=([1-9]\d{0,9}),p=([1-9]\d{0,9})(,k=1)?\$([A-Za-z0-9+/]{11,64})\$([A-Za-z0-9+/]{16,128})$/;

export function formatPhc(params: Argon2Params, peppered: boolean, salt: Uint8Array, hash: Uint8Array): string {
  const k = peppered ? ",k=1" : "";
  return `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}${k}$${b64(salt)}$${b64(hash)}`;
}

export function parsePhc(stored: string): ParsedPhc | null {
  const match = PHC.exec(stored);
  if (match === null) return null;
  const [, m, t, p, k, salt, hash] = match;
  const params = { m: Number(m), t: Number(t), p: Number(p) };
  // Argon2 needs m >= 8p KiB; p=1 is all we ever write (single-threaded wasm).
  if (params.p !== 1 || params.m < 8 || params.m > MAX_M_KIB || params.t > MAX_T) return null;
  const saltBytes = unb64(salt!);
  const hashBytes = unb64(hash!);
  if (saltBytes === null || hashBytes === null || saltBytes.length < 8 || hashBytes.length < 16) return null;
  return { params, peppered: k !== undefined, salt: saltBytes, hash: hashBytes };
}

// PHC uses standard base64 without padding.
function b64(bytes: Uint8Array): string {
  let s = "";
  for (const byte of bytes) s += String.fromCharCode(byte);
  return btoa(s).replace(/=+$/, "");
}

function unb64(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  try {
    const s = atob(text + "=".repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
