import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, expectProblem, outbox, refreshCookieFrom, signUp, STRONG_PASSWORD, wrongCodeFor } from "../helpers";
import { latestMessage, uniquePhone, userWithPhone } from "../phone-helpers";

describe("/api/me/phone", () => {
  it("adds and verifies a phone on an existing account", async () => {
    const { accessToken, user } = await signUp();
    expect((await call("/api/me/phone", { token: accessToken })).body).toEqual({ phone: null, verifiedAt: null });
    const phone = uniquePhone();
    expect((await call("/api/me/phone", { json: { phone, channel: "whatsapp" }, token: accessToken })).status).toBe(202);
    const message = await latestMessage(phone);
    expect(message.channel).toBe("whatsapp");
    expect(message.text).toMatch(/code to confirm this phone/);
    expectProblem(
      await call("/api/me/phone/verify", { json: { phone, code: await wrongCodeFor("verify-phone", `${user.id}:${phone}`) }, token: accessToken }),
      400,
      "invalid_code",
    );
    const ok = await call("/api/me/phone/verify", { json: { phone, code: codeFrom(message) }, token: accessToken });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ phone, verifiedAt: expect.any(String) });
    expect((await call("/api/me/phone", { token: accessToken })).body.phone).toBe(phone);
    const audit = await env.DB.prepare("select count(*) as n from audit_events where user_id = ? and type = 'phone.verified'")
      .bind(user.id)
      .first<{ n: number }>();
    expect(audit!.n).toBe(1);
  });

  it("needs a sign-in", async () => {
    expectProblem(await call("/api/me/phone", { json: { phone: uniquePhone() } }), 401, "unauthorized");
    expectProblem(await call("/api/me/phone/verify", { json: { phone: uniquePhone(), code: "123456" }, token: "x.y.z" }), 401, "invalid_token");
  });

  it("changing a verified phone needs a fresh sign-in; a refreshed token is not fresh", async () => {
    const { cookie, email } = await userWithPhone();
    clock.advance(11 * 60_000);
    // A new access token from a refresh has a new iat, but the session is 11 minutes old.
    const stale = (await call("/api/auth/refresh", { method: "POST", cookie })).body.accessToken;
    const newPhone = uniquePhone();
    expectProblem(await call("/api/me/phone", { json: { phone: newPhone }, token: stale }), 403, "reauthentication_required");
    expectProblem(await call("/api/me/phone/verify", { json: { phone: newPhone, code: "123456" }, token: stale }), 403, "reauthentication_required");

    const login = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    expect((await call("/api/me/phone", { json: { phone: newPhone }, token: login.body.accessToken })).status).toBe(202);
    const code = codeFrom(await latestMessage(newPhone));
    // The code must also come back while the sign-in is fresh (REAUTH_WINDOW_SECONDS = 300).
    clock.advance(600_001);
    expectProblem(
      await call("/api/me/phone/verify", {
        json: { phone: newPhone, code },
        token: (await call("/api/auth/refresh", { method: "POST", cookie: refreshCookieFrom(login.headers) })).body.accessToken,
      }),
      403,
      "reauthentication_required",
    );
  });

  it("changes the phone after a fresh sign-in; the old number no longer signs in", async () => {
    const { email, phone: oldPhone } = await userWithPhone();
    clock.advance(20 * 60_000);
    const login = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    const newPhone = uniquePhone();
    await call("/api/me/phone", { json: { phone: newPhone }, token: login.body.accessToken });
    const res = await call("/api/me/phone/verify", { json: { phone: newPhone, code: codeFrom(await latestMessage(newPhone)) }, token: login.body.accessToken });
    expect(res.status).toBe(200);
    expect((await call("/api/me/phone", { token: login.body.accessToken })).body.phone).toBe(newPhone);
    clock.advance(61_000);
    expect((await call("/api/auth/otp/send", { json: { phone: oldPhone } })).status).toBe(202);
    await call("/api/auth/otp/send", { json: { phone: newPhone } });
    expect((await latestMessage(newPhone, 2)).text).toMatch(/sign-in code/);
    // The old number got only its add-phone code back then: no sign-in code now.
    expect(await outbox(oldPhone)).toHaveLength(1);
  });

  it("a number owned by another account: same 202, then 409 only after proving the number", async () => {
    const owner = await userWithPhone();
    const other = await signUp();
    expect((await call("/api/me/phone", { json: { phone: owner.phone }, token: other.accessToken })).status).toBe(202);
    const code = codeFrom(await latestMessage(owner.phone, 2));
    expectProblem(await call("/api/me/phone/verify", { json: { phone: owner.phone, code }, token: other.accessToken }), 409, "conflict");
    expect((await call("/api/me/phone", { token: owner.accessToken })).body.phone).toBe(owner.phone);
  });

  it("bad inputs change nothing", async () => {
    const { accessToken } = await signUp();
    for (const json of [
      { phone: "+34 6１2 345 678" },
      { phone: "ABC" },
      { phone: ["+34612345678"] },
      { phone: uniquePhone(), channel: "fax" },
      { phone: uniquePhone(), locale: "<script>" },
    ]) {
      expect((await call("/api/me/phone", { json, token: accessToken })).status).toBe(400);
    }
    expect((await call("/api/me/phone", { token: accessToken })).body.phone).toBeNull();
  });
});
