import { describe, expect, it } from "vitest";
import { call, codeFrom, expectProblem, legacyUnverifiedUser, refreshCookieFrom, register, signUp, STRONG_PASSWORD, uniqueEmail } from "../helpers";

describe("email + password account journey", () => {
  it("registers, verifies, signs in, reads /api/me, refreshes and signs out", async () => {
    const { email, accessToken, cookie } = await signUp();

    const me = await call("/api/me", { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: expect.any(String),
      email,
      emailVerified: true,
      name: "Test User",
      createdAt: expect.any(String),
      username: null,
      avatarUrl: null,
      locale: null,
      timeZone: null,
      deletionScheduledAt: null,
      isPlatformAdmin: false,
      impersonatedBy: null,
    });

    const login = await call("/api/auth/login", { json: { email: email.toUpperCase(), password: STRONG_PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.headers.get("cache-control")).toContain("no-store");
    expect(login.body).toMatchObject({ accessToken: expect.any(String), expiresIn: 900, user: { email } });
    const setCookie = login.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/__Host-edge-refresh=.+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict/);

    const refreshed = await call("/api/auth/refresh", { method: "POST", cookie: refreshCookieFrom(login.headers) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).not.toBe(login.body.accessToken);
    const rotated = refreshCookieFrom(refreshed.headers);
    expect(rotated).not.toBe(refreshCookieFrom(login.headers));

    const out = await call("/api/auth/logout", { method: "POST", cookie: rotated });
    expect(out.status).toBe(204);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie: rotated }), 401, "session_ended");
    // The session from verification is untouched.
    expect((await call("/api/auth/refresh", { method: "POST", cookie })).status).toBe(200);
  });

  it("an unverified (legacy) account: sign-in refused as email_not_verified, only once the password is right", async () => {
    const email = uniqueEmail();
    await legacyUnverifiedUser(email);
    expectProblem(await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } }), 403, "email_not_verified");
    expectProblem(await call("/api/auth/login", { json: { email, password: `${STRONG_PASSWORD}x` } }), 401, "invalid_credentials");
  });

  it("verifies with the link token (plus the registrationToken) as well as the code", async () => {
    const { email, registrationToken, message } = await register();
    const token = /token=([A-Za-z0-9_-]{43})/.exec(message.text)![1];
    const res = await call("/api/auth/verify-email", { json: { registrationToken, token } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email, emailVerified: true });
    // The registration is finished: its code is of no further use.
    expectProblem(await call("/api/auth/verify-email", { json: { registrationToken, code: codeFrom(message) } }), 404, "registration_not_found");
  });
});
