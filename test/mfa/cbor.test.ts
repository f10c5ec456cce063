// The hand-written CBOR decoder behind passkey registration: what authenticators send
// decodes, and junk is refused with a CborError (never a crash or a hang).
import { describe, expect, it } from "vitest";
import { CborError, decodeCbor } from "../../src/auth/cbor";
import { type Cbor, cbor } from "./authenticator";

describe("decodeCbor", () => {
  it("decodes maps, negative and positive integers, byte and text strings", () => {
    const bytes = cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array([1, 2, 3])],
        ["fmt", "none"],
        [300, 70000 % 65536],
      ]),
    );
    const [value, end] = decodeCbor(bytes);
    expect(end).toBe(bytes.length);
    expect(value).toEqual(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array([1, 2, 3])],
        ["fmt", "none"],
        [300, 4464],
      ]),
    );
  });

  it("refuses truncation, indefinite lengths, 64-bit lengths, deep nesting, bad UTF-8 and odd keys", () => {
    const cases = [
      new Uint8Array([]),
      new Uint8Array([0x44, 1, 2]), // 4-byte string, 2 present
      new Uint8Array([0x5f, 0x41, 0x00, 0xff]), // indefinite byte string
      new Uint8Array([0x1b, 0, 0, 0, 0, 0, 0, 0, 1]), // 64-bit integer
      new Uint8Array([0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x00]), // arrays nested 6 deep
      new Uint8Array([0x62, 0xc3, 0x28]), // invalid UTF-8
      new Uint8Array([0xa1, 0x40, 0x00]), // map with a byte-string key
      new Uint8Array([0xf9, 0x3c, 0x00]), // half float
    ];
    for (const bytes of cases) expect(() => decodeCbor(bytes)).toThrow();
    expect(() => decodeCbor(new Uint8Array([0xa1, 0x40, 0x00]))).toThrow(CborError);
  });
});
