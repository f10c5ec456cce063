// GET/PATCH /api/me/preferences, and the account's language choosing every message.
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, expectProblem, outbox, signUp, STRONG_PASSWORD, uniqueEmail, waitForMessages } from "../helpers";
import { latestMessage, userWithPhone } from "../phone-helpers";
import { expectNoStoreChange } from "../store-snapshot";

const CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const settle = () => new Promise((r) => setTimeout(r, 150));
const prefs = (token: string, json: unknown) => call("/api/me/preferences", { method: "PATCH", json, token });

describe("/api/me/preferences", () => {
  it("defaults: language from the browser, every notice on", async () => {
    const { accessToken } = await signUp();
    const res = await call("/api/me/preferences", { token: accessToken });
    expect(res.body).toEqual({ locale: null, notifications: { security: true, newDevice: true } });
  });

  it("turning the new-device alert off stops it; security notices stay on", async () => {
    const { accessToken, email } = await signUp();
    const res = await prefs(accessToken, { notifications: { newDevice: false } });
    expect(res.body).toEqual({ locale: null, notifications: { security: true, newDevice: false } });
    await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD }, headers: { "user-agent": CHROME_WINDOWS }, cf: { country: "DE" } });
    await settle();
    expect((await outbox(email)).filter((m) => m.subject.startsWith("New sign-in"))).toHaveLength(0);
    // A security notice still goes out (password changed).
    const login = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    await call("/api/me/password", { json: { currentPassword: STRONG_PASSWORD, newPassword: `${STRONG_PASSWORD} again` }, token: login.body.accessToken });
    expect((await waitForMessages(email, 2)).some((m) => m.subject.includes("password was changed"))).toBe(true);
  });

  it("security notices cannot be turned off; bad input changes nothing", async () => {
    const { accessToken } = await signUp();
    await expectNoStoreChange(async () => {
      for (const body of [
        { notifications: { security: false } },
        { notifications: { newDevice: "no" } },
        { notifications: [] },
        { notifications: null },
        { locale: "de" },
        { locale: 1 },
        [],
      ]) {
        expectProblem(await prefs(accessToken, body), 400, "validation_failed");
      }
      const off = await prefs(accessToken, { notifications: { security: false } });
      expect(off.body.errors[0].message).toBe("Security notices cannot be turned off.");
      expectProblem(
        await call("/api/me/preferences", { method: "PATCH", body: "{", headers: { "content-type": "application/json" }, token: accessToken }),
        400,
        "invalid_json",
      );
      expectProblem(await call("/api/me/preferences", { method: "PATCH", json: {} }), 401, "unauthorized");
      expectProblem(await call("/api/me/preferences"), 401, "unauthorized");
    });
  });
});

describe("the account's language chooses every message", () => {
  it("reset code, password-changed and new-device notices in Spanish for a user who chose es, whatever the browser says", async () => {
    const { accessToken, email } = await signUp();
    expect((await prefs(accessToken, { locale: "es" })).body.locale).toBe("es");
    clock.advance(61_000);
    await call("/api/auth/password/forgot", { json: { email }, headers: { "accept-language": "en-US" } });
    const [reset] = await waitForMessages(email, 2);
    expect(reset!.subject).toMatch(/^\d{6} es tu código para restablecer la contraseña/);
    expect(reset!.html).toContain('<html lang="es">');

    await call("/api/auth/login", {
      json: { email, password: STRONG_PASSWORD },
      headers: { "user-agent": CHROME_WINDOWS, "accept-language": "en" },
      cf: { country: "FR" },
    });
    const [notice] = await waitForMessages(email, 3);
    expect(notice!.subject).toMatch(/^Nuevo inicio de sesión/);
    expect(notice!.text).toContain("Dispositivo: Chrome on Windows");
  });

  it("a user without a choice gets the request's language (verification email)", async () => {
    const email = uniqueEmail();
    await call("/api/auth/register", { json: { email, password: STRONG_PASSWORD }, headers: { "accept-language": "es-ES,es;q=0.9" } });
    const [message] = await waitForMessages(email);
    expect(message!.subject).toMatch(/^\d{6} es tu código de verificación/);
    expect(codeFrom(message!)).toMatch(/^\d{6}$/);
  });

  it("a phone code for a user who chose es is in Spanish even if the client asks for en", async () => {
    const { accessToken, phone } = await userWithPhone();
    await prefs(accessToken, { locale: "es" });
    expect((await call("/api/auth/otp/send", { json: { phone, locale: "en" } })).status).toBe(202);
    const sms = await latestMessage(phone, 2);
    expect(sms.text).toMatch(/es tu codigo para entrar/);
  });
});
