// The password policy through the routes (weak_password + reason), NFKC and no
// truncation end to end, and POST /api/me/password with and without keepOtherSessions.
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, expectProblem, refreshCookieFrom, signUp, STRONG_PASSWORD, uniqueEmail, waitForMessages } from "../helpers";

const NEW_PASSWORD = "a brand new passphrase for testing";

const login = (email: string, password: string) => call("/api/auth/login", { json: { email, password } });
const change = (accessToken: string, json: Record<string, unknown>) => call("/api/me/password", { json, token: accessToken });
const refresh = (cookie: string) => call("/api/auth/refresh", { method: "POST", cookie });

describe("weak_password through the routes", () => {
  it("register refuses short, common, sequential, context-word and over-long passwords with a reason", async () => {
    for (const [password, reason] of [
      ["too short", /at least 15/],
      ["passwordpassword", /common|repeated/],
      ["abcdefghijklmnopq", /repeated or sequential/],
      ["margarethe loves pancakes", /email address/],
      ["my edge auth account password", /name of this service/],
      ["x y ".repeat(64) + "z", /at most 256/],
    ] as const) {
      // A fresh address each time: register's per-address rate limit is not under test here.
      const res = await call("/api/auth/register", { json: { email: uniqueEmail("margarethe"), password } });
      expectProblem(res, 400, "weak_password");
      expect(res.body.detail).toMatch(reason);
    }
  });

  it("256 characters register and sign in; a 255-character prefix does not (no truncation)", async () => {
    const password = "glass harbor lantern ".repeat(13).slice(0, 256);
    const { email } = await signUp(uniqueEmail(), password);
    expect((await login(email, password)).status).toBe(200);
    expectProblem(await login(email, password.slice(0, 255)), 401, "invalid_credentials");
  });

  it("NFKC: registered in full-width, signs in with ASCII (and vice versa)", async () => {
    const { email } = await signUp(uniqueEmail(), "ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ");
    expect((await login(email, "correct horse battery")).status).toBe(200);
    expect((await login(email, "ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ")).status).toBe(200);
  });
});

describe("POST /api/me/password", () => {
  it("wrong current password: 401 invalid_credentials, nothing changes", async () => {
    const { email, accessToken } = await signUp();
    expectProblem(await change(accessToken, { currentPassword: `${STRONG_PASSWORD}?`, newPassword: NEW_PASSWORD }), 401, "invalid_credentials");
    expect((await login(email, STRONG_PASSWORD)).status).toBe(200);
  });

  it("wrong current passwords count in the account's sign-in lock-out (LOCKOUT_THRESHOLD = 10)", async () => {
    const { email, accessToken } = await signUp();
    const wrong = { currentPassword: `${STRONG_PASSWORD}?`, newPassword: NEW_PASSWORD };
    // Ten guesses, spread over three minutes to stay under the me.password budget (5 a
    // minute) and inside the fresh-sign-in window (10 minutes); the tenth starts the lock-out.
    for (const guesses of [5, 4, 1]) {
      for (let i = 0; i < guesses; i++) expectProblem(await change(accessToken, wrong), 401, "invalid_credentials");
      if (guesses !== 1) clock.advance(61_000);
    }
    // The owner's account is now throttled for password sign-in and for this route alike,
    // and the throttle notice went out as for failed sign-ins.
    expectProblem(await login(email, STRONG_PASSWORD), 429, "sign_in_throttled");
    expectProblem(await change(accessToken, { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD }), 429, "sign_in_throttled");
    const [notice] = await waitForMessages(email, 2);
    expect(notice!.subject).toMatch(/Failed sign-in attempts/);
    // Once the delay passes, the right password works and clears the count.
    clock.advance(61_000);
    expect((await change(accessToken, { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
  });

  it("burst: wrong sign-ins and wrong current passwords share one count; a parallel burst cannot pass the threshold", async () => {
    const { email, accessToken } = await signUp();
    // Eight failures through the sign-in route first…
    for (let i = 0; i < 8; i++) expectProblem(await login(email, `${STRONG_PASSWORD}?`), 401, "invalid_credentials");
    // …then 20 parallel wrong current passwords: me.password admits 5, and of those the
    // lock-out lets exactly two reach a password check (the 9th and 10th failures).
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => change(accessToken, { currentPassword: `${STRONG_PASSWORD}!`, newPassword: NEW_PASSWORD })),
    );
    const codes = burst.map((r) => r.body.code).sort();
    expect(codes.filter((c) => c === "invalid_credentials")).toHaveLength(2);
    expect(codes.filter((c) => c === "sign_in_throttled")).toHaveLength(3);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(15);
  });

  it("weak or recently used new password: 400 weak_password with a reason", async () => {
    const { accessToken } = await signUp();
    const weak = await change(accessToken, { currentPassword: STRONG_PASSWORD, newPassword: "short" });
    expectProblem(weak, 400, "weak_password");
    expect(weak.body.detail).toMatch(/at least 15/);
    const same = await change(accessToken, { currentPassword: STRONG_PASSWORD, newPassword: STRONG_PASSWORD });
    expectProblem(same, 400, "weak_password");
    expect(same.body.detail).toMatch(/not used recently/);
  });

  it("204; other sessions end, this one stays; old password stops working; owner is told", async () => {
    const { email, accessToken, cookie: current } = await signUp();
    const other = refreshCookieFrom((await login(email, STRONG_PASSWORD)).headers);
    expect((await change(accessToken, { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expectProblem(await refresh(other), 401, "session_ended");
    expect((await refresh(current)).status).toBe(200);
    expectProblem(await login(email, STRONG_PASSWORD), 401, "invalid_credentials");
    expect((await login(email, NEW_PASSWORD)).status).toBe(200);
    const [latest] = await waitForMessages(email, 2);
    expect(latest!.subject).toMatch(/password was changed/);
  });

  it("keepOtherSessions: true keeps the other sessions", async () => {
    const { email, accessToken } = await signUp();
    const other = refreshCookieFrom((await login(email, STRONG_PASSWORD)).headers);
    expect((await change(accessToken, { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD, keepOtherSessions: true })).status).toBe(204);
    expect((await refresh(other)).status).toBe(200);
  });

  it("a signed-out session's access token cannot change the password: 401 session_ended", async () => {
    const { accessToken, cookie } = await signUp();
    expect((await call("/api/auth/logout", { method: "POST", cookie })).status).toBe(204);
    expectProblem(await change(accessToken, { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD }), 401, "session_ended");
  });

  it("keeps a history: none of the last passwords can come back", async () => {
    const { email, accessToken } = await signUp();
    const passwords = [STRONG_PASSWORD, "second passphrase in history", "third passphrase in history"];
    for (let i = 1; i < passwords.length; i++) {
      expect((await change(accessToken, { currentPassword: passwords[i - 1], newPassword: passwords[i], keepOtherSessions: true })).status).toBe(204);
    }
    const back = await change(accessToken, { currentPassword: passwords.at(-1), newPassword: STRONG_PASSWORD });
    expectProblem(back, 400, "weak_password");
    expect((await login(email, passwords.at(-1)!)).status).toBe(200);
  });
});
