// The CBOR decoding WebAuthn needs (RFC 8949; CTAP2 canonical: definite lengths only):
// attestation objects and COSE public keys. Written here because @oslojs/webauthn and
// @oslojs/cbor together cost ~6 KiB gzip of Worker bundle (README "Second factors and
// passkeys", bundle cost) for the same few dozen lines. Refuses anything unusual rather
// than guessing: indefinite lengths, 64-bit lengths, floats, nesting deeper than 4.
export type CborValue = number | string | boolean | null | Uint8Array | CborValue[] | Map<number | string, CborValue>;

export class CborError extends Error {}

const MAX_DEPTH = 4;

/** Decodes one item at `offset`: [value, offset after it]. */
export function decodeCbor(bytes: Uint8Array, offset = 0, depth = 0): [CborValue, number] {
  if (depth > MAX_DEPTH) throw new CborError("nested too deeply");
  const initial = bytes[offset];
  if (initial === undefined) throw new CborError("truncated");
  const major = initial >> 5;
  const info = initial & 0x1f;
  let at = offset + 1;
  let n: number;
  if (info < 24) n = info;
  else if (info <= 26) {
    const size = 1 << (info - 24);
    if (at + size > bytes.length) throw new CborError("truncated");
    n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + bytes[at + i]!;
    at += size;
  } else throw new CborError("unsupported length");
  switch (major) {
    case 0:
      return [n, at];
    case 1:
      return [-1 - n, at];
    case 2:
    case 3: {
      if (at + n > bytes.length) throw new CborError("truncated");
      const data = bytes.slice(at, at + n);
      return [major === 2 ? data : new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data), at + n];
    }
    case 4: {
      const items: CborValue[] = [];
      for (let i = 0; i < n; i++) {
        const [item, next] = decodeCbor(bytes, at, depth + 1);
        items.push(item);
        at = next;
      }
      return [items, at];
    }
    case 5: {
      const map = new Map<number | string, CborValue>();
      for (let i = 0; i < n; i++) {
        const [key, afterKey] = decodeCbor(bytes, at, depth + 1);
        if (typeof key !== "number" && typeof key !== "string") throw new CborError("unsupported map key");
        const [value, afterValue] = decodeCbor(bytes, afterKey, depth + 1);
        map.set(key, value);
        at = afterValue;
      }
      return [map, at];
    }
    case 6:
      return decodeCbor(bytes, at, depth + 1);
    default:
      if (info === 20 || info === 21) return [info === 21, at];
      if (info === 22) return [null, at];
      throw new CborError("unsupported simple value");
  }
}
