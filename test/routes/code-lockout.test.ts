// Strangers cannot lock the owner out (issue 10 §3): wrong codes count against the code
// that was issued (5 each), guesses while nothing is live are charged to the guessing
// client, links are never blocked by wrong codes, and a per-target cap (20 wrong codes in
// 24 h across purposes) stops guessing from going on for ever.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { CODE_RULES } from "../../src/auth/one-time-code";
import { limiterObject } from "../../src/objects/names";
import { statusCounts } from "../abuse-helpers";
import { call, codeFrom, expectProblem, linkTokenFrom, outbox, randomIp, signUp, uniqueEmail, waitForMessages } from "../helpers";

const NEW_PASSWORD = "a brand new passphrase for testing";
const MINUTE = 60_000;
/** Certainly wrong: differs from the real code in its first digit. */
const wrongFor = (code: string) => `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;

/** Asks for a reset (past the per-address cooldown) and returns what the owner received. */
async function resetMail(email: string) {
  clock.advance(MINUTE + 1000);
  const before = (await outbox(email)).length;
  expect((await call("/api/auth/password/forgot", { json: { email } })).status).toBe(202);
  const [message] = await waitForMessages(email, before + 1);
  return { code: codeFrom(message!), token: linkTokenFrom(message!) };
}

async function signInMail(email: string) {
  clock.advance(MINUTE + 1000);
  const before = (await outbox(email)).length;
  expect((await call("/api/auth/otp/send", { json: { email } })).status).toBe(202);
  const [message] = await waitForMessages(email, before + 1);
  return { code: codeFrom(message!), token: linkTokenFrom(message!) };
}

const reset = (json: Record<string, unknown>, headers?: Record<string, string>) =>
  call("/api/auth/password/reset", { json: { password: NEW_PASSWORD, ...json }, ...(headers ? { headers } : {}) });

describe("a stranger cannot lock the owner out", () => {
  it("wrong reset codes while no code is live: charged to the stranger's IP; the owner's code then works", async () => {
    const { email } = await signUp();
    const stranger = { "cf-connecting-ip": randomIp() };
    for (let i = 0; i < 5; i++) expectProblem(await reset({ email, code: "123456" }, stranger), 400, "invalid_code");
    expectProblem(await reset({ email, code: "123456" }, stranger), 429, "rate_limited");
    const { code } = await resetMail(email);
    expect((await reset({ email, code })).status).toBe(204);
  });

  it("a stranger spends a live reset code's 5 tries: that mail's link still works", async () => {
    const { email } = await signUp();
    const { code, token } = await resetMail(email);
    for (let i = 0; i < 5; i++) expectProblem(await reset({ email, code: wrongFor(code) }), 400, "invalid_code");
    expectProblem(await reset({ email, code }), 429, "too_many_attempts");
    expect((await reset({ token })).status).toBe(204);
  });

  it("a stranger spends a live reset code's 5 tries: a new code starts a fresh budget", async () => {
    const { email } = await signUp();
    const first = await resetMail(email);
    for (let i = 0; i < 5; i++) expectProblem(await reset({ email, code: wrongFor(first.code) }), 400, "invalid_code");
    const second = await resetMail(email);
    expectProblem(await reset({ email, code: wrongFor(second.code) }), 400, "invalid_code");
    expect((await reset({ email, code: second.code })).status).toBe(204);
  });

  it("a stranger spends a sign-in code's tries: the magic link of that mail still signs the owner in", async () => {
    const { email } = await signUp();
    const { code, token } = await signInMail(email);
    for (let i = 0; i < 5; i++) expectProblem(await call("/api/auth/otp/verify", { json: { email, code: wrongFor(code) } }), 400, "invalid_code");
    expectProblem(await call("/api/auth/otp/verify", { json: { email, code } }), 429, "too_many_attempts");
    expect((await call("/api/auth/otp/verify", { json: { token } })).status).toBe(200);
  });

  it("still 5 per code: 20 parallel wrong codes for one live code, exactly 5 counted", async () => {
    const { email } = await signUp();
    const { code, token } = await resetMail(email);
    const results = await Promise.all(Array.from({ length: 20 }, () => reset({ email, code: wrongFor(code) })));
    expect(statusCounts(results.map((r) => r.status))).toEqual({ 400: 5, 429: 15 });
    for (const r of results.filter((r) => r.status === 429)) expect(r.body.code).toBe("too_many_attempts");
    expect((await reset({ token })).status).toBe(204);
  });
});

describe("the per-address cap on wrong codes (20 in 24 h, across purposes)", () => {
  it("after 20 wrong codes over 4 codes, the next right code is refused — reset and sign-in alike — but links work; a day later codes work again", async () => {
    const { email } = await signUp();
    for (let round = 0; round < 4; round++) {
      const { code } = await resetMail(email);
      for (let i = 0; i < 5; i++) expectProblem(await reset({ email, code: wrongFor(code) }), 400, "invalid_code");
    }
    const fifth = await resetMail(email);
    expectProblem(await reset({ email, code: fifth.code }), 429, "too_many_attempts");
    const signIn = await signInMail(email);
    expectProblem(await call("/api/auth/otp/verify", { json: { email, code: signIn.code } }), 429, "too_many_attempts");
    expect((await call("/api/auth/otp/verify", { json: { token: signIn.token } })).status).toBe(200);
    expect((await reset({ token: fifth.token })).status).toBe(204);

    clock.advance(24 * 3600_000);
    const later = await signInMail(email);
    expect((await call("/api/auth/otp/verify", { json: { email, code: later.code } })).status).toBe(200);
  });

  it("burst: 80 parallel wrong codes over 16 live codes of one address count exactly 20", async () => {
    const fence = limiterObject(env, `codes:burst-${crypto.randomUUID()}`);
    const now = clock.now();
    const verdicts = await Promise.all(Array.from({ length: 80 }, (_, i) => fence.checkCode(`challenge-${i % 16}`, false, CODE_RULES, now + 10 * MINUTE, now)));
    expect(verdicts.filter((v) => !v.ok && v.reason === "wrong")).toHaveLength(20);
    expect(verdicts.filter((v) => !v.ok && v.reason === "too_many_attempts")).toHaveLength(60);
    // A link is never blocked by the cap.
    expect(await fence.redeemLink("challenge-3", now + 10 * MINUTE, now)).toBe(true);
    expect(await fence.redeemLink("challenge-3", now + 10 * MINUTE, now)).toBe(false);
  });
});

describe("guesses while no code is live are charged to the client", () => {
  it("burst: 20 parallel guesses from one IP at an address with no live code: exactly 5 answered, the rest rate_limited", async () => {
    const ip = randomIp();
    const email = uniqueEmail();
    const results = await Promise.all(Array.from({ length: 20 }, () => reset({ email, code: "123456" }, { "cf-connecting-ip": ip })));
    expect(statusCounts(results.map((r) => r.status))).toEqual({ 400: 5, 429: 15 });
    for (const r of results.filter((r) => r.status === 429)) expect(r.body.code).toBe("rate_limited");
  });
});
