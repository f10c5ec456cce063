// POST /api/auth/password/forgot {phone, channel?} and the reset with the code by phone.
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, expectProblem, outbox, STRONG_PASSWORD, waitForMessages } from "../helpers";
import { uniquePhone, userWithPhone } from "../phone-helpers";
import { expectNoStoreChange } from "../store-snapshot";
import { certainlyWrongCode, flipDigit } from "./helpers";

const NEW_PASSWORD = "a whole new passphrase for this test";
const forgot = (json: unknown) => call("/api/auth/password/forgot", { json });

describe("password reset by phone", () => {
  it("a verified phone gets the code; the reset ends every session and the new password works", async () => {
    const { phone, email, cookie } = await userWithPhone();
    const res = await forgot({ phone });
    expect(res.status).toBe(202);
    const [sms] = await waitForMessages(phone, 2);
    expect(sms!.channel).toBe("sms");
    expect(sms!.text).toMatch(/password reset code/);
    const reset = await call("/api/auth/password/reset", { json: { phone, code: codeFrom(sms!), password: NEW_PASSWORD } });
    expect(reset.status).toBe(204);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie }), 401, "session_ended");
    expect((await call("/api/auth/login", { json: { email, password: NEW_PASSWORD } })).status).toBe(200);
    expectProblem(await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } }), 401, "invalid_credentials");
  });

  it("an unknown phone: the same 202, nothing sent, and any code fails the same way", async () => {
    const { phone } = await userWithPhone();
    const stranger = uniquePhone();
    const known = await forgot({ phone });
    const unknown = await forgot({ phone: stranger });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    await new Promise((r) => setTimeout(r, 150));
    expect(await outbox(stranger)).toEqual([]);
    const guess = await certainlyWrongCode("reset-password", stranger);
    expectProblem(await call("/api/auth/password/reset", { json: { phone: stranger, code: guess, password: NEW_PASSWORD } }), 400, "invalid_code");
  });

  it("honours the channel, and the account's language", async () => {
    const { phone, accessToken } = await userWithPhone();
    await call("/api/me/preferences", { method: "PATCH", json: { locale: "es" }, token: accessToken });
    expect((await forgot({ phone, channel: "whatsapp" })).status).toBe(202);
    const [message] = await waitForMessages(phone, 2);
    expect(message!.channel).toBe("whatsapp");
    expect(message!.text).toMatch(/es tu codigo para cambiar la contrasena/);
  });

  it("same code rules: five wrong codes use up the code; 20 parallel resets with the right code, one wins", async () => {
    const first = await userWithPhone();
    await forgot({ phone: first.phone });
    const code = codeFrom((await waitForMessages(first.phone, 2))[0]!);
    for (let i = 0; i < 5; i++)
      expectProblem(
        await call("/api/auth/password/reset", { json: { phone: first.phone, code: flipDigit(code), password: NEW_PASSWORD } }),
        400,
        "invalid_code",
      );
    expectProblem(await call("/api/auth/password/reset", { json: { phone: first.phone, code, password: NEW_PASSWORD } }), 429, "too_many_attempts");

    const second = await userWithPhone();
    await forgot({ phone: second.phone });
    const right = codeFrom((await waitForMessages(second.phone, 2))[0]!);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call("/api/auth/password/reset", { json: { phone: second.phone, code: right, password: NEW_PASSWORD } })),
    );
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
  });

  it("burst: 4x the per-number budget in parallel admits exactly the budget (one per 60 s)", async () => {
    const { phone } = await userWithPhone();
    const results = await Promise.all(Array.from({ length: 4 }, () => forgot({ phone })));
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 202)) expectProblem(r, 429, "rate_limited");
    clock.advance(61_000);
    expect((await forgot({ phone })).status).toBe(202);
  });

  it("bad input is a 4xx and changes nothing", async () => {
    await expectNoStoreChange(async () => {
      for (const json of [
        {},
        { phone: uniquePhone(), email: "a@example.com" },
        { phone: 34600000000 },
        { phone: uniquePhone(), channel: "pigeon" },
        { phone: "x".repeat(300) },
        [],
      ]) {
        expectProblem(await forgot(json), 400, "validation_failed");
      }
      for (const phone of ["not a phone", "+1", "+34 6\u200b00 000 000", "＋３４６００"]) expectProblem(await forgot({ phone }), 400, "invalid_phone_number");
      expectProblem(await call("/api/auth/password/reset", { json: { phone: "nope", code: "123456", password: NEW_PASSWORD } }), 400, "invalid_phone_number");
      expectProblem(
        await call("/api/auth/password/reset", { json: { phone: uniquePhone(), code: "12x456", password: NEW_PASSWORD } }),
        400,
        "validation_failed",
      );
    });
  });
});
