// Image headers built byte by byte, so each test states exactly what it sends.
const concat = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const be16 = (n: number) => [(n >>> 8) & 255, n & 255];
const le16 = (n: number) => [n & 255, (n >>> 8) & 255];
const le24 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255];
const le32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const text = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** A PNG signature and IHDR chunk (plus padding), as wide and tall as asked. */
export function png(width: number, height: number, padding = 32): Uint8Array {
  return concat(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    be32(13),
    text("IHDR"),
    be32(width),
    be32(height),
    [8, 6, 0, 0, 0],
    [0, 0, 0, 0],
    new Uint8Array(padding),
  );
}

/** SOI, an APP0 segment, then a SOF0 frame header. */
export function jpeg(width: number, height: number): Uint8Array {
  return concat(
    [0xff, 0xd8],
    [0xff, 0xe0],
    be16(16),
    text("JFIF"),
    [0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
    [0xff, 0xc0],
    be16(17),
    [8],
    be16(height),
    be16(width),
    [3],
    new Uint8Array(9),
    [0xff, 0xd9],
  );
}

export function webpLossless(width: number, height: number): Uint8Array {
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  return concat(text("RIFF"), le32(30), text("WEBP"), text("VP8L"), le32(10), [0x2f], le32(bits >>> 0), new Uint8Array(8));
}

export function webpLossy(width: number, height: number): Uint8Array {
  return concat(text("RIFF"), le32(30), text("WEBP"), text("VP8 "), le32(10), [0, 0, 0], [0x9d, 0x01, 0x2a], le16(width), le16(height), new Uint8Array(8));
}

export function webpExtended(width: number, height: number): Uint8Array {
  return concat(text("RIFF"), le32(30), text("WEBP"), text("VP8X"), le32(10), [0, 0, 0, 0], le24(width - 1), le24(height - 1), new Uint8Array(8));
}
