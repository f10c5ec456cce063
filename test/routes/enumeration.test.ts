// No account enumeration: for an existing and an unknown email, the same status, body
// and headers (all but Date). Rate-limit windows are cleared with the clock first, so
// the RateLimit headers start from the same count for both addresses.
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, signUp, STRONG_PASSWORD, uniqueEmail, waitForMessages, wrongCode } from "../helpers";

type Res = Awaited<ReturnType<typeof call>>;

function visible(res: Res) {
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== "date"));
  return { status: res.status, headers, body: res.body };
}

async function expectSameAnswer(path: string, existing: Record<string, unknown>, unknown: Record<string, unknown>) {
  clock.advance(2 * 3600_000);
  const a = visible(await call(path, { json: existing }));
  const b = visible(await call(path, { json: unknown }));
  expect(a).toEqual(b);
  return a;
}

describe("existing and unknown emails get the same answer", () => {
  it("register: 202 either way (the owner gets a notice instead)", async () => {
    const { email } = await signUp();
    const answer = await expectSameAnswer("/api/auth/register", { email, password: STRONG_PASSWORD }, { email: uniqueEmail(), password: STRONG_PASSWORD });
    expect(answer.status).toBe(202);
    const [notice] = await waitForMessages(email, 2);
    expect(notice!.subject).toMatch(/already have/);
  });

  it("register with a weak password: the same weak_password either way", async () => {
    const { email } = await signUp();
    const answer = await expectSameAnswer("/api/auth/register", { email, password: "short" }, { email: uniqueEmail(), password: "short" });
    expect(answer.status).toBe(400);
  });

  it("login with a wrong password: 401 invalid_credentials either way", async () => {
    const { email } = await signUp();
    const answer = await expectSameAnswer("/api/auth/login", { email, password: `${STRONG_PASSWORD}?` }, { email: uniqueEmail(), password: `${STRONG_PASSWORD}?` });
    expect(answer.status).toBe(401);
  });

  it("login to an unverified account with a wrong password: the same 401", async () => {
    const email = uniqueEmail();
    await call("/api/auth/register", { json: { email, password: STRONG_PASSWORD } });
    await expectSameAnswer("/api/auth/login", { email, password: `${STRONG_PASSWORD}?` }, { email: uniqueEmail(), password: `${STRONG_PASSWORD}?` });
  });

  it("forgot: 202 either way", async () => {
    const { email } = await signUp();
    expect((await expectSameAnswer("/api/auth/password/forgot", { email }, { email: uniqueEmail() })).status).toBe(202);
  });

  it("resend-verification: 202 either way (unverified, verified, unknown)", async () => {
    const unverified = uniqueEmail();
    await call("/api/auth/register", { json: { email: unverified, password: STRONG_PASSWORD } });
    const { email: verified } = await signUp();
    expect((await expectSameAnswer("/api/auth/resend-verification", { email: unverified }, { email: uniqueEmail() })).status).toBe(202);
    await expectSameAnswer("/api/auth/resend-verification", { email: verified }, { email: uniqueEmail() });
  });

  it("reset with a wrong code: the same answer whatever the password, account or not", async () => {
    const { email } = await signUp();
    for (const password of ["short", "a brand new passphrase for testing"]) {
      const answer = await expectSameAnswer("/api/auth/password/reset", { email, code: "123456", password }, { email: uniqueEmail(), code: "123456", password });
      expect(answer.status).toBe(400);
    }
  });

  it("wrong codes: the same answers, including 429 after 5 failures, for a pending, a verified and an unknown address", async () => {
    const pending = uniqueEmail();
    await call("/api/auth/register", { json: { email: pending, password: STRONG_PASSWORD } });
    await waitForMessages(pending);
    const { email: verified } = await signUp();
    const unknown = uniqueEmail();
    const answers = async (email: string, path: string, extra: Record<string, unknown>) => {
      const out: string[] = [];
      const code = await wrongCode(path.endsWith("verify-email") ? "verify-email" : "reset-password", email);
      for (let i = 0; i < 6; i++) {
        const res = await call(path, { json: { email, code, ...extra } });
        out.push(`${res.status} ${res.body.code}`);
      }
      return out;
    };
    const expected = [...Array(5).fill("400 invalid_code"), "429 too_many_attempts"];
    for (const email of [pending, verified, unknown]) expect(await answers(email, "/api/auth/verify-email", {})).toEqual(expected);
    for (const email of [verified, unknown]) expect(await answers(email, "/api/auth/password/reset", { password: "a brand new passphrase for testing" })).toEqual(expected);
  });
});
