// Step one of second factors: the TOTP maths (RFC 6238 vectors), the single-use fence on
// accepted steps (parallel and sequential), recovery-code format, and the AES-GCM box the
// TOTP secret is stored in (wrong key, wrong owner, tampering, missing key).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { ApiError } from "../../src/errors";
import { newRecoveryCodes, recoveryCodeHash } from "../../src/auth/recovery-codes";
import { open, seal } from "../../src/auth/secret-box";
import { acceptTotp, matchingStep, newTotpSecret } from "../../src/auth/totp";
import { randomId } from "../../src/auth/secrets";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { totpCode } from "./helpers";

const b64 = (bytes: Uint8Array) => encodeBase64urlNoPadding(bytes);
const key32 = (fill: number, length = 32) => b64(new Uint8Array(length).fill(fill));

const RFC_KEY = new TextEncoder().encode("12345678901234567890");

describe("TOTP (RFC 6238, SHA-1, 6 digits, 30 s)", () => {
  it("matches the RFC 6238 appendix B vectors (last six digits) at their times", async () => {
    expect(await matchingStep(RFC_KEY, "287082", 59_000)).toBe(1);
    expect(await matchingStep(RFC_KEY, "081804", 1111111109_000)).toBe(37037036);
    expect(await matchingStep(RFC_KEY, "050471", 1111111111_000)).toBe(37037037);
    expect(await matchingStep(RFC_KEY, "005924", 1234567890_000)).toBe(41152263);
    // RFC 6238 also has 20000000000: a counter above 2^32.
    expect(await matchingStep(RFC_KEY, "353130", 20000000000_000)).toBe(666666666);
  });

  it("accepts one step of drift either way and nothing further", async () => {
    const secret = newTotpSecret();
    expect(secret.length).toBe(20);
    const now = 1_800_000_000_000;
    const step = Math.floor(now / 30_000);
    const codeAt = (d: number) => totpCode(secret, (step + d) * 30_000);
    for (const d of [-1, 0, 1]) expect(await matchingStep(secret, await codeAt(d), now)).toBe(step + d);
    const near = await Promise.all([-1, 0, 1].map(codeAt));
    for (const d of [-2, 2]) {
      const code = await codeAt(d);
      // Certainly negative only if that code is not also the code of an accepted step.
      if (!near.includes(code)) expect(await matchingStep(secret, code, now)).toBeNull();
    }
    expect(await matchingStep(secret, "12345", now)).toBeNull();
    expect(await matchingStep(secret, "１２３４５６", now)).toBeNull();
  });

  it("accepts each step once: 20 parallel submissions of one code give exactly one success", async () => {
    const secret = newTotpSecret();
    const userId = randomId();
    const code = await totpCode(secret, clock.now());
    const results = await Promise.all(Array.from({ length: 20 }, () => acceptTotp(env, userId, secret, code)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await acceptTotp(env, userId, secret, code)).toBe(false);
  });

  it("refuses a code of an earlier step once a later one was accepted", async () => {
    const secret = newTotpSecret();
    const userId = randomId();
    const now = clock.now();
    const previous = await totpCode(secret, now - 30_000);
    const current = await totpCode(secret, now);
    expect(await acceptTotp(env, userId, secret, current)).toBe(true);
    if (previous !== current) expect(await acceptTotp(env, userId, secret, previous)).toBe(false);
    clock.advance(30_000);
    expect(await acceptTotp(env, userId, secret, await totpCode(secret, clock.now()))).toBe(true);
  });
});

describe("recovery codes", () => {
  it("are ten distinct 80-bit codes in groups of four, forgiving to type, bound to the user", () => {
    const userId = randomId();
    const { codes, hashes } = newRecoveryCodes(userId);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect(recoveryCodeHash(userId, ` ${codes[0]!.toUpperCase().replaceAll("-", " ")} `)).toBe(hashes[0]);
    expect(recoveryCodeHash(randomId(), codes[0]!)).not.toBe(hashes[0]);
    expect(recoveryCodeHash(userId, "not-a-code")).toBeNull();
    expect(recoveryCodeHash(userId, "1111-1111-1111-1111")).toBeNull();
  });
});

describe("the secret box (AES-GCM under MFA_ENCRYPTION_KEY)", () => {
  it("opens for the owner only, and not after tampering", async () => {
    const secret = newTotpSecret();
    const boxed = await seal(env, secret, "user-a");
    expect(boxed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(boxed).not.toContain(b64(secret));
    expect(await open(env, boxed, "user-a")).toEqual(secret);
    expect(await open(env, boxed, "user-b")).toBeNull();
    const [v, iv, data] = boxed.split(".");
    const flipped = (data![0] === "A" ? "B" : "A") + data!.slice(1);
    expect(await open(env, `${v}.${iv}.${flipped}`, "user-a")).toBeNull();
    expect(await open(env, "v2.x.y", "user-a")).toBeNull();
    // Two seals of one secret differ (fresh IV).
    expect(await seal(env, secret, "user-a")).not.toBe(boxed);
  });

  it("refuses to work without a proper key, with a clear configuration error", async () => {
    for (const key of [undefined, "", "too-short", key32(1, 16)]) {
      const broken = { ...env, MFA_ENCRYPTION_KEY: key } as Env;
      const error = await seal(broken, new Uint8Array(20), "u").catch((e) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error.code).toBe("service_unavailable");
      expect(String(error.options.cause)).toContain("MFA_ENCRYPTION_KEY");
    }
    // A box sealed under another key does not open.
    const other = { ...env, MFA_ENCRYPTION_KEY: key32(7) } as Env;
    expect(await open(env, await seal(other, new Uint8Array(20), "u"), "u")).toBeNull();
  });
});
