// Second-factor test helpers: TOTP codes computed here from the secret (independently of
// the service's own code path: WebCrypto HMAC-SHA1 per RFC 4226 §5.3), and set-up of an
// account with two-step verification on.
import { expect } from "vitest";
import { clock } from "../../src/clock";
import { call, signUp } from "../helpers";

/** The 6-digit TOTP code of `secret` at `atMs` (30-s steps). */
export async function totpCode(secret: Uint8Array, atMs: number): Promise<string> {
  const counter = new DataView(new ArrayBuffer(8));
  counter.setBigUint64(0, BigInt(Math.floor(atMs / 30_000)));
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new DataView(await crypto.subtle.sign("HMAC", key, counter.buffer));
  const offset = mac.getUint8(mac.byteLength - 1) & 0x0f;
  const n = mac.getUint32(offset) & 0x7fffffff;
  return String(n % 1_000_000).padStart(6, "0");
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export function base32Decode(text: string): Uint8Array {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.toUpperCase().replace(/=+$/, "")) {
    value = (value << 5) | BASE32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

/** The code of the current step for a base32 secret, as an authenticator app shows it. */
export const currentCode = (secretBase32: string) => totpCode(base32Decode(secretBase32), clock.now());

/** A signed-up user who has turned on two-step verification (TOTP), with their recovery codes. */
export async function signUpWithTotp() {
  const account = await signUp();
  const setup = await call("/api/me/mfa/totp/setup", { method: "POST", token: account.accessToken });
  expect(setup.status).toBe(200);
  const secret = setup.body.secret as string;
  const confirm = await call("/api/me/mfa/totp/confirm", { json: { code: await currentCode(secret) }, token: account.accessToken });
  expect(confirm.status).toBe(200);
  // The step just used for confirming is spent: later codes come from the next step on.
  clock.advance(30_000);
  return { ...account, secret, recoveryCodes: confirm.body.recoveryCodes as string[] };
}

/** A first factor answered with the second step: no session, no cookie but the binding. */
export function expectChallenge(res: { status: number; headers: Headers; body: { mfaToken?: unknown } }) {
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    mfaRequired: true,
    mfaToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    methods: expect.arrayContaining(["totp", "recovery_code"]),
  });
  expect(res.body).not.toHaveProperty("accessToken");
  expect(res.body).not.toHaveProperty("refreshToken");
  const cookies = res.headers.getSetCookie();
  expect(cookies.some((c) => /^__(Host|Secure)-edge-refresh=/.test(c))).toBe(false);
  const binding = cookies.find((c) => c.startsWith("__Host-edge-mfa="));
  expect(binding).toMatch(/; Path=\/; .*HttpOnly; Secure; SameSite=None/);
  return { mfaToken: res.body.mfaToken as string, cookie: binding!.split(";")[0]! };
}

/** POST /api/auth/mfa/verify from the browser that holds `cookie`. */
export const verifyStep = (challenge: { mfaToken: string; cookie: string }, answer: Record<string, unknown>) =>
  call("/api/auth/mfa/verify", { json: { mfaToken: challenge.mfaToken, ...answer }, cookie: challenge.cookie });
