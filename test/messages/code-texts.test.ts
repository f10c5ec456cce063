import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { config } from "../../src/config";
import { enforceRateLimit } from "../../src/guard/rate-limit";
import { ApiError } from "../../src/errors";
import { chooseLocale, emailCodeMessage, fitsOneSegment, phoneCodeText, type CodePurposeText } from "../../src/messages/code-texts";

const purposes: CodePurposeText[] = ["sign-in", "sign-up", "verify-phone", "verify-email"];

describe("code texts", () => {
  it("every SMS text fits one segment and ends with the WebOTP line, in English and Spanish", () => {
    const c = config({ ...env, PUBLIC_URL: "https://accounts.some-long-company-name.example.com" } as Env);
    for (const locale of ["en", "es"] as const) {
      for (const purpose of purposes) {
        const { text } = phoneCodeText(c, locale, purpose, "012345");
        expect(fitsOneSegment(text), `${locale} ${purpose}: ${text}`).toBe(true);
        expect(text.endsWith("\n\n@accounts.some-long-company-name.example.com #012345")).toBe(true);
        expect(text.startsWith("012345 ")).toBe(true);
      }
    }
  });

  it("falls back to a short form when the app name breaks the GSM alphabet", () => {
    const c = config({ ...env, APP_NAME: "Açaí 🍇 Accounts" } as Env);
    const { text } = phoneCodeText(c, "es", "sign-in", "654321");
    expect(fitsOneSegment(text)).toBe(true);
    expect(text).toBe("654321\n\n@127.0.0.1 #654321");
  });

  it("counts GSM-7 septets and the UCS-2 limit", () => {
    expect(fitsOneSegment("a".repeat(160))).toBe(true);
    expect(fitsOneSegment("a".repeat(161))).toBe(false);
    expect(fitsOneSegment("€".repeat(80))).toBe(true); // extension table: 2 septets each
    expect(fitsOneSegment("€".repeat(81))).toBe(false);
    expect(fitsOneSegment("ó".repeat(70))).toBe(true); // not GSM-7: UCS-2, 70 max
    expect(fitsOneSegment("ó".repeat(71))).toBe(false);
  });

  it("chooses the language from `locale`, then Accept-Language", () => {
    expect(chooseLocale(undefined, "es-AR,es;q=0.9,en;q=0.8")).toBe("es");
    expect(chooseLocale("en", "es")).toBe("en");
    expect(chooseLocale("es-MX", undefined)).toBe("es");
    expect(chooseLocale(undefined, "fr-FR")).toBe("en");
    expect(chooseLocale(undefined, undefined)).toBe("en");
  });

  it("email code messages are localised and the magic link is optional", () => {
    const c = config(env);
    const es = emailCodeMessage(c, "es", "sign-in", "111222", "t".repeat(43));
    expect(es.subject).toBe("111222 es tu código de Edge Auth");
    expect(es.text).toContain(`/sign-in/link?token=${"t".repeat(43)}`);
    expect(es.html).toContain('lang="es"');
    const en = emailCodeMessage(c, "en", "verify-email", "333444");
    expect(en.text).not.toContain("token=");
  });
});

describe("per-country-prefix cap (SMS pumping)", () => {
  it("admits exactly the budget of a 4x burst from many IPs to many numbers of one prefix", async () => {
    const e = { ...env, RATE_LIMITS: JSON.stringify({ "code.send-phone": [{ by: "country", limit: 5, windowSeconds: 3600 }] }) } as Env;
    const ctx = { env: e, header: () => {} } as unknown as Parameters<typeof enforceRateLimit>[0];
    const prefix = `+9${Math.floor(Math.random() * 1e6)}`; // a prefix no other test uses
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        enforceRateLimit(ctx, "code.send-phone", { ip: `10.9.0.${i}`, target: `${prefix}${i}`, country: prefix }).then(
          () => "ok",
          (err) => (err instanceof ApiError ? err.code : "other"),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(5);
    expect(outcomes.filter((o) => o === "rate_limited")).toHaveLength(15);
    clock.advance(3601_000);
    await expect(enforceRateLimit(ctx, "code.send-phone", { ip: "10.9.1.1", target: `${prefix}99`, country: prefix })).resolves.toBeUndefined();
  });
});
