import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  call,
  codeFrom,
  expectProblem,
  linkTokenFrom,
  legacyUnverifiedUser,
  outbox,
  randomIp,
  refreshCookieFrom,
  signUp,
  uniqueEmail,
  waitForMessages,
  wrongCodeFor,
} from "../helpers";
import { latestMessage, uniquePhone, userWithPhone } from "../phone-helpers";

describe("passwordless sign-in with a code", () => {
  it("signs in by SMS code to a verified phone, with the same tokens and cookie as password sign-in", async () => {
    const { phone, user } = await userWithPhone();
    const send = await call("/api/auth/otp/send", {
      json: { phone: phone.replace("+34", "+34 ").replace(/(\d{3})(?=\d)/g, "$1 "), channel: "sms", purpose: "sign-in" },
    });
    expect(send.status).toBe(202);
    const message = await latestMessage(phone, 2);
    expect(message.channel).toBe("sms");
    const code = codeFrom(message);
    // WebOTP origin-bound line ends the SMS.
    expect(message.text.endsWith(`\n@127.0.0.1 #${code}`)).toBe(true);

    const res = await call("/api/auth/otp/verify", { json: { phone, code, purpose: "sign-in" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.body).toMatchObject({ accessToken: expect.any(String), tokenType: "Bearer", expiresIn: 900, user: { id: user.id } });
    expect(res.headers.getSetCookie().join("\n")).toMatch(/__Host-edge-refresh=.+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    expect((await call("/api/auth/refresh", { method: "POST", cookie: refreshCookieFrom(res.headers) })).status).toBe(200);
    // Single use.
    expectProblem(await call("/api/auth/otp/verify", { json: { phone, code } }), 400, "invalid_code");
  });

  it("signs in by WhatsApp or Telegram code, localised from Accept-Language or `locale`", async () => {
    const { phone } = await userWithPhone();
    await call("/api/auth/otp/send", { json: { phone, channel: "whatsapp" }, headers: { "accept-language": "es-MX,es;q=0.9" } });
    const wa = await latestMessage(phone, 2);
    expect(wa.channel).toBe("whatsapp");
    expect(wa.text).toMatch(/^\d{6} es tu codigo para entrar en Edge Auth/);
    expect((await call("/api/auth/otp/verify", { json: { phone, code: codeFrom(wa) } })).status).toBe(200);

    const { phone: phone2 } = await userWithPhone();
    await call("/api/auth/otp/send", { json: { phone: phone2, channel: "telegram", locale: "en-GB" }, headers: { "accept-language": "es" } });
    const tg = await latestMessage(phone2, 2);
    expect(tg.channel).toBe("telegram");
    expect(tg.text).toMatch(/^\d{6} is your Edge Auth sign-in code/);
    expect((await call("/api/auth/otp/verify", { json: { phone: phone2, code: codeFrom(tg) } })).status).toBe(200);
  });

  it("signs in by email code (single use)", async () => {
    const { email, user } = await signUp();
    await call("/api/auth/otp/send", { json: { email } });
    const [m1] = await waitForMessages(email, 2);
    expect(m1!.subject).toMatch(/^\d{6} is your Edge Auth code$/);
    const byCode = await call("/api/auth/otp/verify", { json: { email: email.toUpperCase(), code: codeFrom(m1!) } });
    expect(byCode.status).toBe(200);
    expect(byCode.body.user.id).toBe(user.id);
    expectProblem(await call("/api/auth/otp/verify", { json: { email, code: codeFrom(m1!) } }), 400, "invalid_code");
  });

  it("answers identically for unknown phones and emails, and sends them nothing", async () => {
    const { phone } = await userWithPhone();
    const unknownPhone = uniquePhone();
    const known = await call("/api/auth/otp/send", { json: { phone } });
    const unknown = await call("/api/auth/otp/send", { json: { phone: unknownPhone } });
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    const unknownEmail = uniqueEmail();
    const byEmail = await call("/api/auth/otp/send", { json: { email: unknownEmail } });
    expect(byEmail.status).toBe(202);
    expect(byEmail.body).toEqual(known.body);
    await waitForMessages(phone, 2);
    expect(await outbox(unknownPhone)).toEqual([]);
    expect(await outbox(unknownEmail)).toEqual([]);
    // Verify fails the same way, and counts failures the same way, known or not.
    const wrong = await wrongCodeFor("sign-in", unknownPhone);
    for (let i = 0; i < 5; i++) {
      expectProblem(await call("/api/auth/otp/verify", { json: { phone: unknownPhone, code: wrong } }), 400, "invalid_code");
    }
    expectProblem(await call("/api/auth/otp/verify", { json: { phone: unknownPhone, code: wrong } }), 429, "too_many_attempts");
  });

  it("an unverified email gets no sign-in code (account pre-hijacking)", async () => {
    const email = uniqueEmail();
    await legacyUnverifiedUser(email);
    const verified = await signUp();
    expect((await call("/api/auth/otp/send", { json: { email } })).status).toBe(202);
    // A send to a verified address right after it: once that one is out, the first had its chance.
    await call("/api/auth/otp/send", { json: { email: verified.email } });
    await waitForMessages(verified.email, 2);
    expect(await outbox(email)).toHaveLength(0);
  });

  it("20 parallel verifications of one code: exactly one signs in", async () => {
    const { phone } = await userWithPhone();
    await call("/api/auth/otp/send", { json: { phone } });
    const code = codeFrom(await latestMessage(phone, 2));
    const results = await Promise.all(Array.from({ length: 20 }, () => call("/api/auth/otp/verify", { json: { phone, code } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expectProblem(r, 400, "invalid_code");
  });

  it("magic link: 20 parallel redemptions, exactly one success; links are single use", async () => {
    const { email } = await signUp();
    await call("/api/auth/otp/send", { json: { email, locale: "es" } });
    const [message] = await waitForMessages(email, 2);
    expect(message!.subject).toMatch(/^\d{6} es tu código de Edge Auth$/);
    const token = linkTokenFrom(message!);
    const results = await Promise.all(Array.from({ length: 20 }, () => call("/api/auth/otp/verify", { json: { token } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it("5 wrong codes lock that code; a new code starts a fresh budget (issue 10 §3)", async () => {
    const { phone } = await userWithPhone();
    await call("/api/auth/otp/send", { json: { phone } });
    const first = codeFrom(await latestMessage(phone, 2));
    const wrong = `${(Number(first[0]) + 1) % 10}${first.slice(1)}`;
    for (let i = 0; i < 5; i++) expectProblem(await call("/api/auth/otp/verify", { json: { phone, code: wrong } }), 400, "invalid_code");
    expectProblem(await call("/api/auth/otp/verify", { json: { phone, code: first } }), 429, "too_many_attempts");
    const { clock } = await import("../../src/clock");
    clock.advance(61_000);
    await call("/api/auth/otp/send", { json: { phone } });
    const fresh = codeFrom(await latestMessage(phone, 3));
    expect((await call("/api/auth/otp/verify", { json: { phone, code: fresh } })).status).toBe(200);
  });

  it("a code for one purpose or target does not work for another", async () => {
    const a = await userWithPhone();
    const b = await userWithPhone();
    await call("/api/auth/otp/send", { json: { phone: a.phone } });
    const code = codeFrom(await latestMessage(a.phone, 2));
    expectProblem(await call("/api/auth/otp/verify", { json: { phone: b.phone, code } }), 400, "invalid_code");
    expectProblem(await call("/api/me/phone/verify", { json: { phone: a.phone, code }, token: b.accessToken }), 400, "invalid_code");
    expect((await call("/api/auth/otp/verify", { json: { phone: a.phone, code } })).status).toBe(200);
  });

  it("records the sign-in in the audit trail", async () => {
    const { phone, user } = await userWithPhone();
    await call("/api/auth/otp/send", { json: { phone } });
    await call("/api/auth/otp/verify", { json: { phone, code: codeFrom(await latestMessage(phone, 2)) } });
    const row = await env.DB.prepare(
      "select type, detail from audit_events where user_id = ? and type = 'sign_in.success' and json_extract(detail, '$.method') = 'phone_code'",
    )
      .bind(user.id)
      .first<{ detail: string }>();
    expect(JSON.parse(row!.detail)).toEqual({ method: "phone_code" });
  });
});

describe("send limits (4x the budget in parallel admits exactly the budget)", () => {
  it("one code per phone per 60 s (resend cooldown), then another after the cooldown", async () => {
    const { phone } = await userWithPhone();
    const { clock } = await import("../../src/clock");
    clock.advance(61_000);
    const burst = await Promise.all(Array.from({ length: 4 }, () => call("/api/auth/otp/send", { json: { phone } })));
    expect(burst.filter((r) => r.status === 202)).toHaveLength(1);
    for (const r of burst.filter((r) => r.status !== 202)) {
      expectProblem(r, 429, "rate_limited");
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    clock.advance(61_000);
    expect((await call("/api/auth/otp/send", { json: { phone } })).status).toBe(202);
  });

  it("5 codes per IP per minute across different phones", async () => {
    const ip = randomIp();
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => call("/api/auth/otp/send", { json: { phone: uniquePhone() }, headers: { "cf-connecting-ip": ip } })),
    );
    expect(burst.filter((r) => r.status === 202)).toHaveLength(5);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(15);
  });

  it("10 codes per phone per day", async () => {
    const phone = uniquePhone();
    const { clock } = await import("../../src/clock");
    let admitted = 0;
    for (let i = 0; i < 12; i++) {
      if ((await call("/api/auth/otp/send", { json: { phone } })).status === 202) admitted++;
      clock.advance(61_000);
    }
    expect(admitted).toBe(10);
  });

  it("one email code per address per 60 s", async () => {
    const email = uniqueEmail();
    const burst = await Promise.all(Array.from({ length: 4 }, () => call("/api/auth/otp/send", { json: { email } })));
    expect(burst.filter((r) => r.status === 202)).toHaveLength(1);
  });
});
