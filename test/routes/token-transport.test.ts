// Where the refresh token travels: back the way it came at refresh (a cookie-authenticated
// refresh never puts it in the body, whatever X-Token-Transport says), in __Host- cookies.
import { describe, expect, it } from "vitest";
import { call, refreshCookieFrom, signUp, STRONG_PASSWORD } from "../helpers";
import { navigate } from "../oauth/helpers";

const refreshSetCookie = (headers: Headers) => headers.getSetCookie().find((c) => /^__Host-edge-refresh=[^;]+;/.test(c) && !/Max-Age=0/.test(c));

describe("POST /api/auth/refresh", () => {
  it("never reveals a cookie-held refresh token in the body, even when asked with X-Token-Transport: body", async () => {
    const { cookie } = await signUp();
    // The attack: script that can call the API (XSS) but cannot read the HttpOnly cookie.
    const res = await call("/api/auth/refresh", { method: "POST", cookie, headers: { "x-token-transport": "body" } });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("refreshToken");
    expect(JSON.stringify(res.body)).not.toContain(cookie.split("=")[1]!.split(".")[2]!);
    expect(refreshSetCookie(res.headers)).toBeDefined();
  });

  it("answers a body-presented refresh token in the body (no cookie), with or without the header", async () => {
    const { email } = await signUp();
    const login = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD }, headers: { "x-token-transport": "body" } });
    let token = login.body.refreshToken as string;
    expect(token).toEqual(expect.any(String));
    for (const headers of [{}, { "x-token-transport": "body" }, { "x-token-transport": "cookie" }] as Record<string, string>[]) {
      const res = await call("/api/auth/refresh", { json: { refreshToken: token }, headers });
      expect(res.status).toBe(200);
      expect(res.body.refreshToken).toEqual(expect.any(String));
      expect(refreshSetCookie(res.headers)).toBeUndefined();
      token = res.body.refreshToken;
    }
  });
});

describe("cookies", () => {
  it("the refresh cookie is __Host- prefixed: Secure, Path=/, no Domain, HttpOnly, SameSite=Strict", async () => {
    const { email } = await signUp();
    const login = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    const set = refreshSetCookie(login.headers)!;
    expect(set).toMatch(/^__Host-edge-refresh=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(set).not.toMatch(/Domain=/i);
    // Sign-out clears it at the same path.
    const out = await call("/api/auth/logout", { method: "POST", cookie: refreshCookieFrom(login.headers) });
    expect(out.headers.getSetCookie().join()).toMatch(/__Host-edge-refresh=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Strict/);
  });

  it("a refresh cookie set before the prefix (__Secure-, Path=/api/auth) still refreshes once, and is replaced", async () => {
    const { cookie } = await signUp();
    const legacy = cookie.replace(/^__Host-edge-refresh=/, "__Secure-edge-refresh=");
    const res = await call("/api/auth/refresh", { method: "POST", cookie: legacy });
    expect(res.status).toBe(200);
    const set = res.headers.getSetCookie().join("\n");
    expect(set).toMatch(/__Secure-edge-refresh=; Max-Age=0; Path=\/api\/auth/);
    expect(refreshSetCookie(res.headers)).toBeDefined();
  });

  it("the OAuth binding cookie is __Host- prefixed: Secure, Path=/, no Domain", async () => {
    const res = await navigate("/api/auth/oauth/github?returnTo=%2Faccount");
    expect(res.status).toBe(302);
    const set = res.headers.getSetCookie().find((c) => c.startsWith("__Host-edge-oauth="))!;
    expect(set).toMatch(/^__Host-edge-oauth=[^;]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=None$/);
  });
});
