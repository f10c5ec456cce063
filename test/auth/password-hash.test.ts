import { describe, expect, it } from "vitest";
import { CURRENT_PARAMS, argon2id, burnPasswordHash, hashPassword, parsePhc, verifyPasswordHash } from "../../src/auth/password-hash";

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const noPepper = {};
const pepper = { pepper: "correct horse pepper" };

describe("argon2id known answers", () => {
  // From the reference implementation's own test suite (phc-winner-argon2
  // src/test.c, Argon2id v1.3, m=2^8, t=2, p=1), and reproduced by hash-wasm.
  it("matches the phc-winner-argon2 vector", () => {
    expect(hex(argon2id(enc("password"), enc("somesalt"), { m: 256, t: 2, p: 1 }))).toBe("9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe");
  });

  // Computed in Node with hash-wasm 4.13.0 and, independently, argon2id 1.0.1
  // (two other implementations; both agreed).
  it.each([
    ["password", "somesalt", 7168, 5, "b006af3954fd952b17e23795d993512da1f7c0a311a42e2e6064f0b694c0ec91"],
    ["password", "somesalt", 19456, 2, "3cbd356a63f2794bb11bb1f4bc8af95fea87919bd69c79860465c562f87ccf61"],
    ["pässwörd 🔐 パスワード", "saltsaltsaltsalt", 7168, 5, "07929f9ff14a0ae23af82816966506447b339d5697eaad4cceeb39bdd83242e0"],
  ])("matches hash-wasm for %j m=%i t=%i", (pw, salt, m, t, expected) => {
    expect(hex(argon2id(enc(pw), enc(salt), { m, t, p: 1 }))).toBe(expected);
  });

  it("verifies PHC strings made by hash-wasm (with and without pepper)", async () => {
    const plain = "$argon2id$v=19$m=7168,t=5,p=1$c2FsdHNhbHRzYWx0c2FsdA$7PCw6lTrVcqZB4uvMkl7NOUjxGtvALJ5SyYrIQAEWsc";
    // Argon2id over HMAC-SHA-256("correct horse pepper", "password").
    const peppered = "$argon2id$v=19$m=7168,t=5,p=1,k=1$c2FsdHNhbHRzYWx0c2FsdA$XBmWXUbC81SWsiHUxyDnGOd1ws+Mbdue7MhoF63w+Z0";
    expect(await verifyPasswordHash("password", plain, noPepper)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPasswordHash("password", peppered, pepper)).toEqual({ ok: true, needsRehash: false });
  });
});

describe("hashPassword / verifyPasswordHash", () => {
  it("round-trips and rejects a wrong password", async () => {
    const stored = await hashPassword("correct horse battery staple", noPepper);
    expect(await verifyPasswordHash("correct horse battery staple", stored, noPepper)).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPasswordHash("correct horse battery stapla", stored, noPepper)).ok).toBe(false);
    expect((await verifyPasswordHash("", stored, noPepper)).ok).toBe(false);
  });

  it("writes a PHC string with algorithm, version, parameters, 16-byte salt, 32-byte hash", async () => {
    const stored = await hashPassword("correct horse battery staple", noPepper);
    const { m, t, p } = CURRENT_PARAMS;
    expect(stored).toMatch(new RegExp(`^\\$argon2id\\$v=19\\$m=${m},t=${t},p=${p}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$`));
    const parsed = parsePhc(stored)!;
    expect(parsed.salt.length).toBe(16);
    expect(parsed.hash.length).toBe(32);
    // OWASP minimum: one of its equivalent points, m*t >= 7168*5.
    expect(m * t).toBeGreaterThanOrEqual(7168 * 5);
    expect(m).toBeGreaterThanOrEqual(7168);
  });

  it("salts: the same password hashes differently each time", async () => {
    const a = await hashPassword("correct horse battery staple", noPepper);
    const b = await hashPassword("correct horse battery staple", noPepper);
    expect(a).not.toBe(b);
  });

  it("flags needsRehash when stored parameters differ from the current ones", async () => {
    const old = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$T95q7S205tf9WI4HhYOZDIQmMMAbntacGXTIku0gXT8";
    expect(await verifyPasswordHash("password", old, noPepper)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPasswordHash("wrong", old, noPepper)).toEqual({ ok: false, needsRehash: true });
  });

  it("verifies stored tags of another length and asks for a rehash", async () => {
    const salt = enc("saltsaltsaltsalt");
    const tag = argon2id(enc("password"), salt, { m: 7168, t: 5, p: 1 }, 64);
    const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/=+$/, "");
    const stored = `$argon2id$v=19$m=7168,t=5,p=1$${b64(salt)}$${b64(tag)}`;
    expect(await verifyPasswordHash("password", stored, noPepper)).toEqual({ ok: true, needsRehash: true });
    expect((await verifyPasswordHash("passwort", stored, noPepper)).ok).toBe(false);
  });

  it("pepper: peppered hashes need the pepper; unpeppered ones still verify and get rehashed", async () => {
    const peppered = await hashPassword("correct horse battery staple", pepper);
    expect(peppered).toContain(`p=${CURRENT_PARAMS.p},k=1$`);
    expect(await verifyPasswordHash("correct horse battery staple", peppered, pepper)).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPasswordHash("correct horse battery staple", peppered, { pepper: "another pepper" })).ok).toBe(false);
    // Pepper secret missing: cannot match (misconfiguration), never throws.
    expect(await verifyPasswordHash("correct horse battery staple", peppered, noPepper)).toEqual({ ok: false, needsRehash: false });
    // The pepper is not just a flag: the tag differs from the unpeppered one.
    expect(peppered.replace(",k=1", "")).not.toBe(peppered);
    expect((await verifyPasswordHash("correct horse battery staple", peppered.replace(",k=1", ""), noPepper)).ok).toBe(false);

    const plain = await hashPassword("correct horse battery staple", noPepper);
    expect(plain).not.toContain("k=1");
    expect(await verifyPasswordHash("correct horse battery staple", plain, pepper)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPasswordHash("wrong", plain, pepper)).toEqual({ ok: false, needsRehash: true });
    // An empty secret means no pepper.
    expect(await hashPassword("x", { pepper: "" })).not.toContain("k=1");
  });

  it("hashes Unicode by its UTF-8 bytes, every character counts", async () => {
    const pw = "pässwörd 🔐 パスワード";
    const stored = await hashPassword(pw, noPepper);
    expect((await verifyPasswordHash(pw, stored, noPepper)).ok).toBe(true);
    // Same UTF-16 length, differs only in the last (non-ASCII) character.
    expect((await verifyPasswordHash("pässwörd 🔐 パスワーダ", stored, noPepper)).ok).toBe(false);
    expect((await verifyPasswordHash("pässwörd 🔐 パスワー", stored, noPepper)).ok).toBe(false);
    // NFKC is the caller's job: composed and decomposed forms are different inputs here.
    const composed = "caf\u00e9 au lait, bitte";
    const decomposed = composed.normalize("NFD");
    const h = await hashPassword(composed, noPepper);
    expect((await verifyPasswordHash(decomposed, h, noPepper)).ok).toBe(false);
    expect((await verifyPasswordHash(decomposed.normalize("NFKC"), h, noPepper)).ok).toBe(true);
  });

  it("does not truncate a 256-character password", async () => {
    const long = "ä".repeat(255) + "a";
    const stored = await hashPassword(long, pepper);
    expect((await verifyPasswordHash(long, stored, pepper)).ok).toBe(true);
    expect((await verifyPasswordHash("ä".repeat(255) + "b", stored, pepper)).ok).toBe(false);
    expect((await verifyPasswordHash("ä".repeat(255), stored, pepper)).ok).toBe(false);
  });

  it("rejects absurdly long inputs before hashing", async () => {
    await expect(hashPassword("a".repeat(5000), noPepper)).rejects.toThrow(RangeError);
  });

  it("treats malformed or out-of-range stored strings as a non-match", async () => {
    const good = await hashPassword("pw", noPepper);
    for (const bad of [
      "",
      "not a hash",
      good.replace("$argon2id$", "$argon2i$"),
      good.replace("v=19", "v=16"),
      good.replace(/p=1/, "p=4"),
      good.replace(/m=\d+/, "m=1048576"), // 1 GiB: refused, never allocated
      good.replace(/t=\d+/, "t=1000"),
      good.replace(/\$[^$]+$/, "$%%%%"),
      good + "$extra",
    ]) {
      expect(await verifyPasswordHash("pw", bad, noPepper)).toEqual({ ok: false, needsRehash: false });
    }
  });

  it("burnPasswordHash runs a full hash and resolves", async () => {
    await expect(burnPasswordHash("anything", pepper)).resolves.toBeUndefined();
    await expect(burnPasswordHash("anything", noPepper)).resolves.toBeUndefined();
  });
});

describe("production wasm rules", () => {
  it("gets the argon2 module precompiled from the import, not compiled at run time", async () => {
    const mod = (await import("../../src/auth/argon2/argon2.wasm")).default;
    expect(mod).toBeInstanceOf(WebAssembly.Module);
    expect(WebAssembly.Module.imports(mod)).toEqual([]);
  });
});
