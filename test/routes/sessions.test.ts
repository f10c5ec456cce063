// Sign-in, refresh-token rotation, reuse detection, sign-out and expiry, through the Worker.
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, expectProblem, refreshCookieFrom, signUp, STRONG_PASSWORD } from "../helpers";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const refresh = (cookie: string) => call("/api/auth/refresh", { method: "POST", cookie });
const login = async (email: string) => {
  const res = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
  expect(res.status).toBe(200);
  return { accessToken: res.body.accessToken as string, cookie: refreshCookieFrom(res.headers) };
};

describe("login", () => {
  it("returns an access token, the user and a refresh cookie, never cached", async () => {
    const { email, user } = await signUp();
    const res = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: "Bearer", expiresIn: 900, user });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.getSetCookie().join()).toMatch(/__Host-edge-refresh=[^;]+; Max-Age=60(4800|4799); Path=\/; HttpOnly; Secure; SameSite=Strict/);
  });

  it("wrong password and unknown email both give 401 invalid_credentials", async () => {
    const { email } = await signUp();
    expectProblem(await call("/api/auth/login", { json: { email, password: `${STRONG_PASSWORD}!` } }), 401, "invalid_credentials");
    expectProblem(await call("/api/auth/login", { json: { email: `nobody.${email}`, password: STRONG_PASSWORD } }), 401, "invalid_credentials");
  });

  it("refuses cross-site sign-in (login CSRF)", async () => {
    const { email } = await signUp();
    const res = await call("/api/auth/login", {
      json: { email, password: STRONG_PASSWORD },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expectProblem(res, 403, "csrf_rejected");
  });
});

describe("refresh", () => {
  it("rotates the cookie and issues a new access token", async () => {
    const { cookie } = await signUp();
    const res = await refresh(cookie);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: "Bearer", expiresIn: 900 });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(refreshCookieFrom(res.headers)).not.toBe(cookie);
    expect((await call("/api/me", { token: res.body.accessToken })).status).toBe(200);
  });

  it("has a cookie-free form: X-Token-Transport: body, then {refreshToken}", async () => {
    const { email } = await signUp();
    const res = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD }, headers: { "x-token-transport": "body" } });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    const first = res.body.refreshToken as string;
    expect(first).toMatch(/^[\w-]+\.[\w-]+\.[\w-]{43}$/);
    const next = await call("/api/auth/refresh", { json: { refreshToken: first }, headers: { "x-token-transport": "body" } });
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).not.toBe(first);
    expectProblem(await call("/api/auth/refresh", { json: { refreshToken: first } }), 401, "token_reused");
  });

  it("without any token: 401 invalid_token; with junk: 401 invalid_token", async () => {
    expectProblem(await call("/api/auth/refresh", { method: "POST" }), 401, "invalid_token");
    expectProblem(await refresh("__Host-edge-refresh=garbage"), 401, "invalid_token");
    expectProblem(await call("/api/auth/refresh", { json: { refreshToken: `a.${"b".repeat(22)}.${"c".repeat(43)}` } }), 401, "invalid_token");
  });

  it("20 parallel refreshes with the same token: exactly one 200", async () => {
    const { cookie } = await signUp();
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(cookie)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) {
      expect(r.status).toBe(401);
      expect(["token_reused", "session_ended"]).toContain(r.body.code);
    }
  });

  it("re-using a rotated token: 401 token_reused, and the newest token of the family dies too", async () => {
    const { email } = await signUp();
    const { cookie: first } = await login(email);
    const second = refreshCookieFrom((await refresh(first)).headers);
    const third = refreshCookieFrom((await refresh(second)).headers);
    const reused = await refresh(first);
    expectProblem(reused, 401, "token_reused");
    // The cookie is cleared so the browser stops sending it.
    expect(reused.headers.getSetCookie().join()).toMatch(/__Host-edge-refresh=;.*Max-Age=0/);
    expectProblem(await refresh(third), 401, "session_ended");
    // Other sessions of the same user are not part of that family.
    const other = await login(email);
    expect((await refresh(other.cookie)).status).toBe(200);
  });
});

describe("logout", () => {
  it("204, clears the cookie and ends the session on the server", async () => {
    const { email } = await signUp();
    const { cookie } = await login(email);
    const res = await call("/api/auth/logout", { method: "POST", cookie });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().join()).toMatch(/__Host-edge-refresh=;.*Max-Age=0/);
    expectProblem(await refresh(cookie), 401, "session_ended");
  });

  it("is 204 without a token, and with someone else's made-up token it ends nothing", async () => {
    const { cookie } = await signUp();
    expect((await call("/api/auth/logout", { method: "POST" })).status).toBe(204);
    const [name, value] = cookie.split("=") as [string, string];
    const [userId, sessionId] = value.split(".");
    const forged = `${name}=${userId}.${sessionId}.${"A".repeat(43)}`;
    expect((await call("/api/auth/logout", { method: "POST", cookie: forged })).status).toBe(204);
    expect((await refresh(cookie)).status).toBe(200);
  });
});

describe("expiry with the injected clock", () => {
  it("access tokens expire after 15 minutes: 401 token_expired", async () => {
    const { accessToken } = await signUp();
    clock.advance(14 * MINUTE);
    expect((await call("/api/me", { token: accessToken })).status).toBe(200);
    clock.advance(MINUTE + 10_000);
    const res = await call("/api/me", { token: accessToken });
    expectProblem(res, 401, "token_expired");
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("refresh tokens die after 7 idle days", async () => {
    const { cookie } = await signUp();
    clock.advance(7 * DAY - MINUTE);
    const res = await refresh(cookie);
    expect(res.status).toBe(200);
    const next = refreshCookieFrom(res.headers);
    clock.advance(7 * DAY);
    expectProblem(await refresh(next), 401, "session_ended");
  });

  it("refresh tokens die after 30 days however active the session is", async () => {
    let { cookie } = await signUp();
    for (let day = 6; day < 30; day += 6) {
      clock.advance(6 * DAY);
      const res = await refresh(cookie);
      expect(res.status).toBe(200);
      cookie = refreshCookieFrom(res.headers);
    }
    // Day 24 now; the cookie's lifetime is capped by the absolute end (day 30).
    clock.advance(6 * DAY);
    expectProblem(await refresh(cookie), 401, "session_ended");
  });
});
