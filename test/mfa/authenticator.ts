// A software WebAuthn authenticator for the tests: a real P-256 key pair (WebCrypto), and
// attestation objects, authenticator data, clientDataJSON and DER signatures built by hand
// per WebAuthn L3 §6 — so the service's verification runs for real, with no mocks.
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { ORIGIN } from "../helpers";

const b64 = (b: Uint8Array) => encodeBase64urlNoPadding(b);
const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const sha256 = async (b: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", b));

// --- a minimal CBOR encoder (RFC 8949): what attestation objects and COSE keys need -------
export type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
function head(major: number, n: number): Uint8Array {
  if (n < 24) return new Uint8Array([(major << 5) | n]);
  if (n < 256) return new Uint8Array([(major << 5) | 24, n]);
  return new Uint8Array([(major << 5) | 25, n >> 8, n & 0xff]);
}
export function cbor(v: Cbor): Uint8Array {
  if (typeof v === "number") return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === "string") return concat(head(3, utf8(v).length), utf8(v));
  if (v instanceof Uint8Array) return concat(head(2, v.length), v);
  return concat(head(5, v.size), ...[...v].flatMap(([k, val]) => [cbor(k), cbor(val)]));
}

/** Raw r || s (WebCrypto) -> DER SEQUENCE of two INTEGERs (what authenticators send). */
function rawToDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    if (v[0]! & 0x80) v = concat(new Uint8Array([0]), v);
    return concat(new Uint8Array([0x02, v.length]), v);
  };
  const body = concat(int(raw.subarray(0, 32)), int(raw.subarray(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}

export type Flags = { up?: boolean; uv?: boolean; be?: boolean; bs?: boolean };
const flagsByte = (f: Flags, attested: boolean) =>
  (f.up !== false ? 0x01 : 0) | (f.uv !== false ? 0x04 : 0) | (f.be ? 0x08 : 0) | (f.bs ? 0x10 : 0) | (attested ? 0x40 : 0);

export class SoftAuthenticator {
  readonly credentialId = crypto.getRandomValues(new Uint8Array(32));
  counter: number;
  private constructor(
    private readonly keys: CryptoKeyPair,
    readonly userHandle: string,
    options: { counter?: number },
  ) {
    this.counter = options.counter ?? 0;
  }

  /** userHandle: the base64url `user.id` from the creation options. counter 0 = keeps none. */
  static async create(userHandle: string, options: { counter?: number } = {}) {
    const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    return new SoftAuthenticator(keys, userHandle, options);
  }

  get id() {
    return b64(this.credentialId);
  }

  private async coseKey(): Promise<Uint8Array> {
    const jwk = (await crypto.subtle.exportKey("jwk", this.keys.publicKey)) as JsonWebKey;
    const coord = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, coord(jwk.x!)],
        [-3, coord(jwk.y!)],
      ]),
    );
  }

  /** navigator.credentials.create() answering `options`, as PublicKeyCredential.toJSON(). */
  async register(options: { challenge: string; rp: { id: string } }, overrides: { origin?: string; rpId?: string; flags?: Flags; type?: string } = {}) {
    const clientDataJSON = utf8(
      JSON.stringify({ type: overrides.type ?? "webauthn.create", challenge: options.challenge, origin: overrides.origin ?? ORIGIN, crossOrigin: false }),
    );
    const counter = new Uint8Array(4);
    new DataView(counter.buffer).setUint32(0, this.counter);
    const idLength = new Uint8Array([0, this.credentialId.length]);
    const authData = concat(
      await sha256(utf8(overrides.rpId ?? options.rp.id)),
      new Uint8Array([flagsByte(overrides.flags ?? {}, true)]),
      counter,
      new Uint8Array(16),
      idLength,
      this.credentialId,
      await this.coseKey(),
    );
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key" as const,
      response: { clientDataJSON: b64(clientDataJSON), attestationObject: b64(attestationObject), transports: ["internal", "hybrid"] },
    };
  }

  /** navigator.credentials.get() answering `options`; the counter grows unless it keeps none. */
  async assert(
    options: { challenge: string; rpId: string },
    overrides: { origin?: string; rpId?: string; flags?: Flags; type?: string; counter?: number; userHandle?: string | null } = {},
  ) {
    if (this.counter > 0) this.counter++;
    const clientDataJSON = utf8(
      JSON.stringify({ type: overrides.type ?? "webauthn.get", challenge: options.challenge, origin: overrides.origin ?? ORIGIN, crossOrigin: false }),
    );
    const counter = new Uint8Array(4);
    new DataView(counter.buffer).setUint32(0, overrides.counter ?? this.counter);
    const authenticatorData = concat(await sha256(utf8(overrides.rpId ?? options.rpId)), new Uint8Array([flagsByte(overrides.flags ?? {}, false)]), counter);
    const signed = concat(authenticatorData, await sha256(clientDataJSON));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, signed));
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key" as const,
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authenticatorData),
        signature: b64(rawToDer(raw)),
        userHandle: overrides.userHandle === undefined ? this.userHandle : overrides.userHandle,
      },
    };
  }
}
