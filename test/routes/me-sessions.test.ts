// Sessions and devices (GET/DELETE /api/me/sessions): list (current marked), end one, end all the others — an ended
// session's refresh token fails at once — and the new-device notice.
import { describe, expect, it, vi } from "vitest";
import { send, waitForAudit } from "../abuse-helpers";
import { call, expectProblem, outbox, refreshCookieFrom, signUp, STRONG_PASSWORD, waitForCount } from "../helpers";

/** A session as GET /api/me/sessions lists it (the fields these tests pick by). */
type Listed = { id: string; current: boolean };

// Many password hashes per test: under a parallel full-suite run they take longer than 5 s.
vi.setConfig({ testTimeout: 30_000 });

const CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36";
const SAFARI_IOS = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";

async function signInFrom(email: string, userAgent: string, cf?: Record<string, unknown>, ip?: string) {
  const res = await send("/api/auth/login", {
    json: { email, password: STRONG_PASSWORD },
    headers: { "user-agent": userAgent, ...(ip ? { "cf-connecting-ip": ip } : {}) },
    ...(cf ? { cf } : {}),
  });
  expect(res.status).toBe(200);
  return { accessToken: res.body.accessToken as string, cookie: refreshCookieFrom(res.headers) };
}

const newDeviceNotices = async (email: string) => (await outbox(email)).filter((m) => m.subject.startsWith("New sign-in"));
const settle = () => new Promise((r) => setTimeout(r, 150));

describe("GET /api/me/sessions", () => {
  it("lists live sessions with device, IP and place, and marks the current one", async () => {
    const first = await signUp();
    const second = await signInFrom(first.email, CHROME_WINDOWS, { country: "DE", city: "Berlin" }, "10.9.8.7");
    const res = await call("/api/me/sessions", { token: second.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.body.sessions).toHaveLength(2);
    const current = res.body.sessions.filter((s: Listed) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({
      device: "Chrome on Windows",
      ip: "10.9.8.7",
      country: "DE",
      city: "Berlin",
      method: "password",
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
    });
    expect(res.body.sessions.find((s: Listed) => !s.current)).toMatchObject({ device: "Firefox on Linux", method: "email_verification" });
  });

  it("needs a live session", async () => {
    expectProblem(await call("/api/me/sessions"), 401, "unauthorized");
    expectProblem(await call("/api/me/sessions", { token: "not-a-jwt" }), 401, "invalid_token");
  });
});

describe("ending sessions", () => {
  it("DELETE /api/me/sessions/:id ends that session: its refresh token and access token fail at once", async () => {
    const a = await signUp();
    const b = await signInFrom(a.email, SAFARI_IOS);
    const list = await call("/api/me/sessions", { token: a.accessToken });
    const other = list.body.sessions.find((s: Listed) => !s.current);

    const del = await call(`/api/me/sessions/${other.id}`, { method: "DELETE", token: a.accessToken });
    expect(del.status).toBe(204);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie: b.cookie }), 401, "session_ended");
    expectProblem(await call("/api/me/sessions", { token: b.accessToken }), 401, "session_ended");
    expect((await call("/api/me/sessions", { token: a.accessToken })).body.sessions.map((s: Listed) => s.id)).not.toContain(other.id);

    const [event] = await waitForAudit(a.user.id, "session.revoked");
    expect(event).toMatchObject({ user_id: a.user.id, session_id: other.id, reason: "user" });
    // Ending it again, or an id that is not a session, is a 404 that changes nothing.
    expectProblem(await call(`/api/me/sessions/${other.id}`, { method: "DELETE", token: a.accessToken }), 404, "not_found");
    for (const bad of ["x", "%27%20OR%201%3D1--", "a".repeat(200)]) {
      expectProblem(await call(`/api/me/sessions/${bad}`, { method: "DELETE", token: a.accessToken }), 404, "not_found");
    }
    expect((await call("/api/auth/refresh", { method: "POST", cookie: a.cookie })).status).toBe(200);
  });

  it("DELETE /api/me/sessions ends every other session and keeps the current one", async () => {
    const a = await signUp();
    const b = await signInFrom(a.email, SAFARI_IOS);
    const c = await signInFrom(a.email, CHROME_WINDOWS);
    const res = await call("/api/me/sessions", { method: "DELETE", token: c.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ended: 2 });
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie: a.cookie }), 401, "session_ended");
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie: b.cookie }), 401, "session_ended");
    expect((await call("/api/auth/refresh", { method: "POST", cookie: c.cookie })).status).toBe(200);
    const list = await call("/api/me/sessions", { token: c.accessToken });
    expect(list.body.sessions).toHaveLength(1);
    expect(list.body.sessions[0].current).toBe(true);
    await waitForAudit(a.user.id, "session.revoked", 2);
  });

  it("refuses a cross-site DELETE from a browser", async () => {
    const a = await signUp();
    const res = await call("/api/me/sessions", {
      method: "DELETE",
      token: a.accessToken,
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expectProblem(res, 403, "csrf_rejected");
    expect((await call("/api/auth/refresh", { method: "POST", cookie: a.cookie })).status).toBe(200);
  });
});

describe("new-device notice", () => {
  it("is sent for a browser/OS/country not seen before, once, with device, place, time and a link", async () => {
    const { email } = await signUp();
    // The sign-up device is the first one: no notice, and signing in from it again is quiet.
    await signInFrom(email, "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
    await settle();
    expect(await newDeviceNotices(email)).toHaveLength(0);

    // Two parallel sign-ins from one new device: one notice (the device set is updated atomically).
    await Promise.all([1, 2].map(() => signInFrom(email, CHROME_WINDOWS, { country: "DE", city: "Berlin" }, "10.1.2.3")));
    await waitForCount(() => newDeviceNotices(email), 1);
    await settle(); // a second (wrong) notice would have had time to arrive
    const notices = await newDeviceNotices(email);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain("Device: Chrome on Windows");
    expect(notices[0]!.text).toContain("Location: Berlin, DE (IP 10.1.2.3)");
    expect(notices[0]!.text).toMatch(/Time: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    expect(notices[0]!.text).toContain("http://127.0.0.1:8787/account#sessions");

    // Same browser and country from another IP or city: the same device.
    await signInFrom(email, CHROME_WINDOWS, { country: "DE", city: "Hamburg" });
    // Same browser from another country: new.
    await signInFrom(email, CHROME_WINDOWS, { country: "BR", city: "Recife" });
    await waitForCount(() => newDeviceNotices(email), 2);
    await settle();
    expect(await newDeviceNotices(email)).toHaveLength(2);
  });
});

describe("password history", () => {
  it("refuses the current and the last 4 earlier passwords, and accepts older ones", async () => {
    const { accessToken } = await signUp();
    const { clock } = await import("../../src/clock");
    // Time moves a minute every 5 changes (the me.password budget), so all 11 stay inside
    // the fresh-sign-in window that changing a password needs.
    let calls = 0;
    const change = (currentPassword: string, newPassword: string) => {
      if (++calls % 5 === 0) clock.advance(61_000);
      return call("/api/me/password", { json: { currentPassword, newPassword, keepOtherSessions: true }, token: accessToken });
    };
    const passwords = [STRONG_PASSWORD, ...[1, 2, 3, 4, 5].map((i) => `history passphrase number ${i} xyz`)];
    for (let i = 1; i < passwords.length; i++) {
      expect((await change(passwords[i - 1]!, passwords[i]!)).status).toBe(204);
    }
    const current = passwords.at(-1)!;
    for (const reused of passwords.slice(1)) {
      const res = await change(current, reused);
      expectProblem(res, 400, "weak_password");
      expect(res.body.detail).toMatch(/not used recently/);
    }
    expect((await change(current, passwords[0]!)).status).toBe(204);
  });
});
