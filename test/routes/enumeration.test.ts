// No account enumeration: for an existing and an unknown email, the same status, body
// and headers (all but Date). Rate-limit windows are cleared with the clock first, so
// the RateLimit headers start from the same count for both addresses.
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, legacyUnverifiedUser, register, signUp, STRONG_PASSWORD, uniqueEmail, waitForMessages, wrongCodeFor } from "../helpers";

type Res = Awaited<ReturnType<typeof call>>;

function visible(res: Res) {
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== "date"));
  // A registration token is fresh each time; only its shape must match.
  const body = res.body?.registrationToken ? { ...res.body, registrationToken: /^[A-Za-z0-9_-]{43}$/.test(res.body.registrationToken) } : res.body;
  return { status: res.status, headers, body };
}

async function expectSameAnswer(path: string, existing: Record<string, unknown>, unknown: Record<string, unknown>) {
  clock.advance(2 * 3600_000);
  const a = visible(await call(path, { json: existing }));
  const b = visible(await call(path, { json: unknown }));
  expect(a).toEqual(b);
  return a;
}

describe("existing and unknown emails get the same answer", () => {
  it("register: 202 with a registrationToken either way (the owner gets a notice instead)", async () => {
    const { email } = await signUp();
    const answer = await expectSameAnswer("/api/auth/register", { email, password: STRONG_PASSWORD }, { email: uniqueEmail(), password: STRONG_PASSWORD });
    expect(answer.status).toBe(202);
    expect(answer.body.registrationToken).toBe(true);
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
    const answer = await expectSameAnswer(
      "/api/auth/login",
      { email, password: `${STRONG_PASSWORD}?` },
      { email: uniqueEmail(), password: `${STRONG_PASSWORD}?` },
    );
    expect(answer.status).toBe(401);
  });

  it("login to an unverified (legacy) account with a wrong password: the same 401", async () => {
    const email = uniqueEmail();
    await legacyUnverifiedUser(email);
    await expectSameAnswer("/api/auth/login", { email, password: `${STRONG_PASSWORD}?` }, { email: uniqueEmail(), password: `${STRONG_PASSWORD}?` });
  });

  it("forgot: 202 either way", async () => {
    const { email } = await signUp();
    expect((await expectSameAnswer("/api/auth/password/forgot", { email }, { email: uniqueEmail() })).status).toBe(202);
  });

  it("resend-verification: 202 either way for a registration of a taken and of a free address", async () => {
    const { email } = await signUp();
    const taken = await register(email);
    const free = await register();
    expect(
      (await expectSameAnswer("/api/auth/resend-verification", { registrationToken: taken.registrationToken }, { registrationToken: free.registrationToken }))
        .status,
    ).toBe(202);
  });

  it("reset with a wrong code: the same answer whatever the password, account or not", async () => {
    const { email } = await signUp();
    for (const password of ["short", "a brand new passphrase for testing"]) {
      const answer = await expectSameAnswer(
        "/api/auth/password/reset",
        { email, code: "123456", password },
        { email: uniqueEmail(), code: "123456", password },
      );
      expect(answer.status).toBe(400);
    }
  });

  it("wrong codes after a send: the same answers, including 429 after 5 failures, for taken and free addresses", async () => {
    const { email: verified } = await signUp();
    const answers = async (path: string, body: Record<string, unknown>) => {
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await call(path, { json: body });
        out.push(`${res.status} ${res.body.code}`);
      }
      return out;
    };
    const expected = [...Array(5).fill("400 invalid_code"), "429 too_many_attempts"];
    // Registrations: one for a taken address (its owner got a notice), one for a free one.
    for (const email of [verified, uniqueEmail()]) {
      const { registrationToken } = await register(email);
      const code = await wrongCodeFor("verify-email", email, registrationToken);
      expect(await answers("/api/auth/verify-email", { registrationToken, code })).toEqual(expected);
    }
    // Resets: a code is issued for an unknown address too; nobody receives it.
    for (const email of [verified, uniqueEmail()]) {
      clock.advance(61_000);
      expect((await call("/api/auth/password/forgot", { json: { email } })).status).toBe(202);
      const code = await wrongCodeFor("reset-password", email);
      expect(await answers("/api/auth/password/reset", { email, code, password: "a brand new passphrase for testing" })).toEqual(expected);
    }
  });
});
