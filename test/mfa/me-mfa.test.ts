// /api/me/mfa: setting up an authenticator app (secret, URI, QR), confirming it (recovery
// codes), status, turning it off and new recovery codes behind a recent sign-in; the
// secret encrypted and the codes hashed at rest; bad inputs.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, expectProblem, signUp } from "../helpers";
import { base32Decode, currentCode, signUpWithTotp, totpCode } from "./helpers";

const stale = () => clock.advance(601_000);

describe("setting up an authenticator app", () => {
  it("gives a 160-bit secret, its otpauth URI and a QR code; a code confirms it and returns 10 recovery codes", async () => {
    const { accessToken: token, email } = await signUp();
    const setup = await call("/api/me/mfa/totp/setup", { method: "POST", token });
    expect(setup.status).toBe(200);
    expect(setup.headers.get("cache-control")).toBe("no-store");
    expect(base32Decode(setup.body.secret)).toHaveLength(20);
    const uri = new URL(setup.body.otpauthUri);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(setup.body.secret);
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
    expect(decodeURIComponent(uri.pathname)).toContain(email);
    expect(setup.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    // Pending: not on yet.
    expect((await call("/api/me/mfa", { token })).body).toEqual({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });

    const confirm = await call("/api/me/mfa/totp/confirm", { json: { code: await currentCode(setup.body.secret) }, token });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect((await call("/api/me/mfa", { token })).body).toEqual({ totp: true, passkeys: 0, recoveryCodesLeft: 10 });
    // A second set-up while it is on is refused (turn it off first).
    expectProblem(await call("/api/me/mfa/totp/setup", { method: "POST", token }), 409, "mfa_already_enabled");
  });

  it("stores the secret encrypted and the recovery codes hashed", async () => {
    const { user, secret, recoveryCodes } = await signUpWithTotp();
    const row = await env.DB.prepare("select secret_ciphertext from totp_credentials where user_id = ?").bind(user.id).first<{ secret_ciphertext: string }>();
    expect(row!.secret_ciphertext).toMatch(/^v1\./);
    const raw = btoa(String.fromCharCode(...base32Decode(secret)));
    expect(row!.secret_ciphertext).not.toContain(secret);
    expect(row!.secret_ciphertext).not.toContain(raw.replace(/=+$/, ""));
    const codes = await env.DB.prepare("select code_hash from recovery_codes where user_id = ?").bind(user.id).all<{ code_hash: string }>();
    expect(codes.results).toHaveLength(10);
    const stored = JSON.stringify(codes.results);
    for (const code of recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll("-", ""));
    }
  });

  it("refuses a wrong code and a code of the previous-but-one step, and confirms with the right one", async () => {
    const { accessToken: token } = await signUp();
    const setup = await call("/api/me/mfa/totp/setup", { method: "POST", token });
    const secret = base32Decode(setup.body.secret);
    const now = clock.now();
    const near = await Promise.all([-1, 0, 1].map((d) => totpCode(secret, now + d * 30_000)));
    const old = await totpCode(secret, now - 60_000);
    if (!near.includes(old)) expectProblem(await call("/api/me/mfa/totp/confirm", { json: { code: old }, token }), 400, "invalid_code");
    const wrong = String((Number(near[1]) + 1) % 1_000_000).padStart(6, "0");
    if (!near.includes(wrong)) expectProblem(await call("/api/me/mfa/totp/confirm", { json: { code: wrong }, token }), 400, "invalid_code");
    expect((await call("/api/me/mfa/totp/confirm", { json: { code: near[1] }, token })).status).toBe(200);
  });

  it("a new set-up replaces a pending one: the first secret's codes stop working", async () => {
    const { accessToken: token } = await signUp();
    const first = await call("/api/me/mfa/totp/setup", { method: "POST", token });
    const second = await call("/api/me/mfa/totp/setup", { method: "POST", token });
    expect(second.body.secret).not.toBe(first.body.secret);
    const a = await currentCode(first.body.secret);
    if (a !== (await currentCode(second.body.secret))) expectProblem(await call("/api/me/mfa/totp/confirm", { json: { code: a }, token }), 400, "invalid_code");
    expect((await call("/api/me/mfa/totp/confirm", { json: { code: await currentCode(second.body.secret) }, token })).status).toBe(200);
  });

  it("confirm without a set-up is a conflict, and bad bodies are 4xx", async () => {
    const { accessToken: token } = await signUp();
    expectProblem(await call("/api/me/mfa/totp/confirm", { json: { code: "123456" }, token }), 409, "conflict");
    for (const json of [{}, { code: 123456 }, { code: "12345" }, { code: "１２３４５６" }, { code: "x".repeat(10_000) }, []]) {
      expectProblem(await call("/api/me/mfa/totp/confirm", { json, token }), 400, "validation_failed");
    }
    expectProblem(await call("/api/me/mfa/totp/confirm", { body: "{", headers: { "content-type": "application/json" }, token }), 400, "invalid_json");
    expectProblem(await call("/api/me/mfa/totp/confirm", { body: "code=1", headers: { "content-type": "text/plain" }, token }), 415, "unsupported_media_type");
    expectProblem(await call("/api/me/mfa"), 401, "unauthorized");
    expectProblem(await call("/api/me/mfa/totp/setup", { method: "POST" }), 401, "unauthorized");
  });
});

describe("sensitive changes need a recent sign-in", () => {
  it("setting up, turning off and new recovery codes answer 403 reauthentication_required on an old sign-in", async () => {
    const { accessToken, cookie } = await signUpWithTotp();
    stale();
    // A refresh mints a new access token but does not make the sign-in recent.
    const refreshed = await call("/api/auth/refresh", { method: "POST", cookie });
    expect(refreshed.status).toBe(200);
    for (const token of [accessToken, refreshed.body.accessToken]) {
      expectProblem(await call("/api/me/mfa/totp", { method: "DELETE", token }), 403, "reauthentication_required");
      expectProblem(await call("/api/me/mfa/recovery-codes", { method: "POST", token }), 403, "reauthentication_required");
      expectProblem(await call("/api/me/mfa/totp/setup", { method: "POST", token }), 403, "reauthentication_required");
    }
    expect((await call("/api/me/mfa", { token: refreshed.body.accessToken })).body.totp).toBe(true);
  });

  it("new recovery codes kill the old set; turning off removes the app and the codes", async () => {
    const { accessToken: token, recoveryCodes } = await signUpWithTotp();
    const fresh = await call("/api/me/mfa/recovery-codes", { method: "POST", token });
    expect(fresh.status).toBe(200);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    expect(fresh.body.recoveryCodes.some((c: string) => recoveryCodes.includes(c))).toBe(false);
    expect((await call("/api/me/mfa/totp", { method: "DELETE", token })).status).toBe(204);
    expect((await call("/api/me/mfa", { token })).body).toEqual({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });
    expectProblem(await call("/api/me/mfa/totp", { method: "DELETE", token }), 409, "mfa_not_enabled");
    expectProblem(await call("/api/me/mfa/recovery-codes", { method: "POST", token }), 409, "mfa_not_enabled");
  });
});

describe("an administrator's reset (resetSecondFactors, for the admin routes)", () => {
  it("removes the app, the recovery codes and the passkeys, and tells the owner (es)", async () => {
    const { resetSecondFactors } = await import("../../src/auth/second-factor");
    const { waitForMessages } = await import("../helpers");
    const { accessToken: token, user, email } = await signUpWithTotp();
    const removed = await resetSecondFactors(env, user.id, "es");
    expect(removed).toEqual({ totp: true, passkeys: 0 });
    expect((await call("/api/me/mfa", { token })).body).toEqual({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });
    const notice = (await waitForMessages(email, 2)).find((m) => /verificación en dos pasos/.test(m.subject));
    expect(notice?.text).toContain("administrador");
  });
});

describe("the owner hears of every second-factor change", () => {
  it("by email: two-step on, new recovery codes, a passkey added and removed, two-step off", async () => {
    const { waitForMessages } = await import("../helpers");
    const { SoftAuthenticator } = await import("./authenticator");
    const { accessToken: token, email } = await signUpWithTotp();
    await call("/api/me/mfa/recovery-codes", { method: "POST", token });
    const opts = (await call("/api/me/passkeys/options", { json: { name: "Work laptop" }, token })).body;
    const authenticator = await SoftAuthenticator.create(opts.user.id);
    const added = await call("/api/me/passkeys", { json: { credential: await authenticator.register(opts) }, token });
    await call(`/api/me/passkeys/${added.body.id}`, { method: "DELETE", token });
    await call("/api/me/mfa/totp", { method: "DELETE", token });
    const subjects = (await waitForMessages(email, 6)).map((m) => m.subject);
    for (const s of [
      /Two-step verification is on/,
      /New recovery codes/,
      /A passkey was added/,
      /A passkey was removed/,
      /Two-step verification was turned off/,
    ]) {
      expect(
        subjects.some((x) => s.test(x)),
        String(s),
      ).toBe(true);
    }
    const notice = (await waitForMessages(email, 6)).find((m) => /passkey was added/.test(m.subject))!;
    expect(notice.text).toContain('"Work laptop"');
  });
});
