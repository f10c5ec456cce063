import { describe, expect, it } from "vitest";
import { probeImage } from "../../src/auth/image-probe";
import { jpeg, png, webpExtended, webpLossless, webpLossy } from "./images";

describe("probeImage", () => {
  it("reads type and size from PNG, JPEG and the three WebP forms", () => {
    expect(probeImage(png(640, 480))).toEqual({ type: "image/png", width: 640, height: 480 });
    expect(probeImage(jpeg(800, 600))).toEqual({ type: "image/jpeg", width: 800, height: 600 });
    expect(probeImage(webpLossless(4096, 3))).toEqual({ type: "image/webp", width: 4096, height: 3 });
    expect(probeImage(webpLossy(100, 200))).toEqual({ type: "image/webp", width: 100, height: 200 });
    expect(probeImage(webpExtended(5000, 70000))).toEqual({ type: "image/webp", width: 5000, height: 70000 });
  });

  it("refuses anything else: other formats, truncated or zero-sized headers", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    for (const bytes of [
      new Uint8Array(0),
      enc("<html><script>alert(1)</script></html>"),
      enc("GIF89a\x01\x00\x01\x00"),
      png(640, 480).slice(0, 20),
      png(0, 10),
      jpeg(0, 10),
      jpeg(10, 10).slice(0, 10),
      Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2]),
      webpLossy(10, 10).slice(0, 26),
      Uint8Array.from([...enc("RIFF\0\0\0\0WEBPVP8Z"), ...new Uint8Array(20)]),
    ]) {
      expect(probeImage(bytes)).toBeNull();
    }
  });
});
