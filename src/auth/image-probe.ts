// What an uploaded image really is, from its bytes (never from the client's content
// type): PNG, JPEG or WebP, and its pixel size from the header. No decoding: headers
// only, so a hostile file costs a few byte reads. Formats:
//  PNG  — signature, then the IHDR chunk (width, height as 32-bit big-endian) (RFC 2083 §3.1, §4.1.1).
//  JPEG — FF D8, then marker segments up to the first SOFn frame header (ITU T.81 §B.2.2).
//  WebP — RIFF "WEBP" with a VP8 (lossy), VP8L (lossless) or VP8X (extended) first chunk
//         (RFC 9649 §2.5–2.7).
export type ImageType = "image/png" | "image/jpeg" | "image/webp";
export type ImageInfo = { type: ImageType; width: number; height: number };

export const IMAGE_TYPES: readonly ImageType[] = ["image/png", "image/jpeg", "image/webp"];

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((ch, i) => b[at + i] === ch.charCodeAt(0));
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32le = (b: Uint8Array, at: number) => (u24le(b, at) + b[at + 3]! * 0x1000000) >>> 0;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image's type and size, or null when the bytes are not a PNG, JPEG or WebP header. */
export function probeImage(b: Uint8Array): ImageInfo | null {
  if (b.length >= 24 && PNG_SIGNATURE.every((v, i) => b[i] === v)) {
    return ascii(b, 12, "IHDR") ? sized("image/png", u32be(b, 16), u32be(b, 20)) : null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return probeJpeg(b);
  if (b.length >= 30 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return probeWebp(b);
  return null;
}

function sized(type: ImageType, width: number, height: number): ImageInfo | null {
  return width > 0 && height > 0 ? { type, width, height } : null;
}

function probeJpeg(b: Uint8Array): ImageInfo | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC): P, Y (height), X (width).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return at + 9 <= b.length ? sized("image/jpeg", u16be(b, at + 7), u16be(b, at + 5)) : null;
    }
    // Image data or the end before any frame header: not an image we can size.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = u16be(b, at + 2);
    if (length < 2) return null;
    at += 2 + length;
  }
  return null;
}

function probeWebp(b: Uint8Array): ImageInfo | null {
  if (ascii(b, 12, "VP8 ")) {
    // Frame tag (3 bytes) then the start code 9D 01 2A, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return sized("image/webp", u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  }
  if (ascii(b, 12, "VP8L")) {
    if (b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return sized("image/webp", (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (ascii(b, 12, "VP8X")) return sized("image/webp", u24le(b, 24) + 1, u24le(b, 27) + 1);
  return null;
}
