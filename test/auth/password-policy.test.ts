// Password policy (NIST SP 800-63B-4, docs/architecture.md §5) as a unit, and the length knob.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPasswordHash } from "../../src/auth/password-hash";
import { COMMON_PASSWORDS_ASSET, loadCommonPasswords } from "../../src/auth/common-passwords";
import { checkPasswordPolicy, decodeFrontCoded, PASSWORD_MAX_LENGTH } from "../../src/auth/password-policy";
import commonPasswordsText from "../../src/auth/common-passwords.txt";
import { config } from "../../src/config";

const common = decodeFrontCoded(commonPasswordsText);
const policy = (password: string, minLength = 15, context = {}) => checkPasswordPolicy(password, { minLength, common, context });
const refusedFor = (password: string, minLength = 15, context = {}) => {
  const verdict = policy(password, minLength, context);
  expect(verdict.ok).toBe(false);
  return (verdict as { reason: string }).reason;
};

describe("password policy", () => {
  it("default minimum 15 characters, counted in code points", () => {
    expect(refusedFor("a quiet meadow")).toMatch(/at least 15/); // 14
    expect(policy("a quiet meadows").ok).toBe(true); // 15
    // 15 emoji are 30 UTF-16 units but 15 characters; 14 are refused.
    expect(policy("🦊🐙🦉🐢🦀🐝🦋🐌🐞🦂🦎🐍🦖🐊🦈").ok).toBe(true);
    expect(refusedFor("🦊🐙🦉🐢🦀🐝🦋🐌🐞🦂🦎🐍🦖🐊")).toMatch(/at least 15/);
  });

  it("the minimum is configurable, with a floor of 8", () => {
    expect(policy("plum tart", 8).ok).toBe(true);
    expect(config({ ...env, PASSWORD_MIN_LENGTH: "8" }).passwordMinLength).toBe(8);
    expect(config({ ...env, PASSWORD_MIN_LENGTH: "4" }).passwordMinLength).toBe(8);
    expect(config({ ...env, PASSWORD_MIN_LENGTH: "20" }).passwordMinLength).toBe(20);
    expect(config({ ...env, PASSWORD_MIN_LENGTH: "junk" }).passwordMinLength).toBe(15);
    expect(config({ ...env, PASSWORD_MIN_LENGTH: undefined as never }).passwordMinLength).toBe(15);
  });

  it("up to 256 characters accepted, 257 refused", () => {
    const words = "velvet thunder orchard pixel ";
    const long = words.repeat(20).slice(0, PASSWORD_MAX_LENGTH - 2) + "zq";
    expect([...long].length).toBe(256);
    expect(policy(long).ok).toBe(true);
    expect(refusedFor(`${long}x`)).toMatch(/at most 256/);
  });

  it("NFKC: full-width and ligature forms are the same password", () => {
    const verdict = policy("ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ");
    expect(verdict).toEqual({ ok: true, password: "correct horse battery" });
    expect(policy("ﬁve ﬁsh in a tiny bowl")).toEqual({ ok: true, password: "five fish in a tiny bowl" });
    // Length is measured after NFKC: 'ﬃ' is one character before, three after.
    expect(policy("ﬃﬃﬃ plus some", 15).ok).toBe(true);
  });

  it("no truncation: a 200-character password differs from its 199-character prefix", async () => {
    const long = "glass harbor lantern ".repeat(10).slice(0, 200);
    const stored = await hashPassword(long, {});
    expect((await verifyPasswordHash(long, stored, {})).ok).toBe(true);
    expect((await verifyPasswordHash(long.slice(0, 199), stored, {})).ok).toBe(false);
    expect((await verifyPasswordHash(long.slice(0, 72), stored, {})).ok).toBe(false);
  });

  it("ships >= 3,000 common passwords in the static assets and refuses them (and them repeated)", async () => {
    // What the Worker loads (public/data/common-passwords.txt), not only the repository file.
    const list = [...(await loadCommonPasswords(env.ASSETS))];
    expect(list).toEqual([...common]);
    expect(list.length).toBeGreaterThanOrEqual(3000);
    const longCommon = list.filter((p) => [...p].length >= 15).slice(0, 20);
    expect(longCommon.length).toBeGreaterThan(0);
    for (const p of longCommon) expect(refusedFor(p)).toMatch(/common/);
    expect(list).toContain("password");
    expect(list).toContain("iloveyou");
    expect(list).toContain("1qaz2wsx");
    expect(list.every((p) => [...p].length >= 8)).toBe(true);
    expect(refusedFor("password", 8)).toMatch(/common/);
    expect(refusedFor("PassWord", 8)).toMatch(/common/);
    expect(refusedFor("passwordpasswordpassword")).toMatch(/common/);
  });

  it("refuses repeats and sequences", () => {
    expect(refusedFor("aaaaaaaaaaaaaaaa")).toMatch(/repeated or sequential/);
    expect(refusedFor("abcabcabcabcabcabc")).toMatch(/repeated or sequential/);
    expect(refusedFor("abcdefghijklmnop")).toMatch(/repeated or sequential/);
    expect(refusedFor("987654321098765")).toMatch(/repeated or sequential/);
    expect(refusedFor("0123456789012345")).toMatch(/repeated or sequential/);
    expect(policy("0123456789 is a digit run plus words").ok).toBe(true);
    expect(refusedFor("zyxwvutsrqponmlk")).toMatch(/repeated or sequential/);
  });

  it("refuses context words: the email's local part (and its pieces) and the app name", () => {
    const context = { email: "jane.doherty@example.com", appName: "Edge Auth" };
    expect(refusedFor("my jane.doherty passphrase", 15, context)).toMatch(/email address or the name/);
    expect(refusedFor("doherty is my favourite word", 15, context)).toMatch(/email address or the name/);
    expect(refusedFor("i love edge auth so much", 15, context)).toMatch(/email address or the name/);
    expect(refusedFor("I LOVE EDGEAUTH so much", 15, context)).toMatch(/email address or the name/);
    expect(policy("a perfectly fine passphrase", 15, context).ok).toBe(true);
  });

  it("allows any Unicode without composition rules", () => {
    for (const p of ["пароль для проверки тут", "密码是一个很长的句子用来测试策略", "all lowercase words only here", "🦊 and 🐙 went to the sea"]) {
      expect(policy(p).ok).toBe(true);
    }
  });

  it("a missing or truncated list is an error, never an empty policy", async () => {
    const assets = (status: number, contentType: string, body: string) =>
      ({ fetch: async () => new Response(body, { status, headers: { "content-type": contentType } }) }) as unknown as Fetcher;
    // Without the file, the assets binding answers the SPA's index.html with 200.
    await expect(loadCommonPasswords(assets(200, "text/html", "<!doctype html>"))).rejects.toThrow(COMMON_PASSWORDS_ASSET);
    await expect(loadCommonPasswords(assets(404, "text/plain", "not found"))).rejects.toThrow(/status 404/);
    await expect(loadCommonPasswords(assets(200, "text/plain; charset=utf-8", "0password\n1assword1\n"))).rejects.toThrow(/2 entries/);
  });
});
