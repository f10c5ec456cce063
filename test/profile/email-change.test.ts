// POST /api/me/email, /api/me/email/verify, /api/auth/email-change/revert.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, expectProblem, linkTokenFrom, signUp, STRONG_PASSWORD, uniqueEmail, waitForMessages } from "../helpers";
import { expectNoStoreChange } from "../store-snapshot";
import { certainlyWrongCode, flipDigit } from "./helpers";

const requestChange = (token: string, newEmail: string) => call("/api/me/email", { json: { newEmail }, token });
const confirm = (token: string, code: string) => call("/api/me/email/verify", { json: { code }, token });
const revert = (token: string) => call("/api/auth/email-change/revert", { json: { token } });

/** Signs up, moves the account to a new address, returns both and the revert token sent to the old one. */
async function changed() {
  const account = await signUp();
  const newEmail = uniqueEmail("moved");
  expect((await requestChange(account.accessToken, newEmail)).status).toBe(202);
  const [codeMessage] = await waitForMessages(newEmail);
  const res = await confirm(account.accessToken, codeFrom(codeMessage!));
  expect(res.status).toBe(200);
  const [notice] = await waitForMessages(account.email, 2);
  return { ...account, newEmail, profile: res.body, notice: notice!, revertToken: linkTokenFrom(notice!) };
}

describe("email change", () => {
  it("a code at the new address confirms it; the old address gets a notice with a revert link", async () => {
    const { email, newEmail, profile, notice, user, accessToken } = await changed();
    expect(profile).toMatchObject({ id: user.id, email: newEmail, emailVerified: true });
    expect((await call("/api/me", { token: accessToken })).body.email).toBe(newEmail);
    expect(notice.subject).toMatch(/email of your .* account was changed/);
    expect(notice.text).toContain(`is now ${newEmail}`);
    expect(notice.text).toMatch(/\/email-change\/revert\?token=[A-Za-z0-9_-]{43}/);
    expectProblem(await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } }), 401, "invalid_credentials");
    expect((await call("/api/auth/login", { json: { email: newEmail, password: STRONG_PASSWORD } })).status).toBe(200);
    const types = (
      await env.DB.prepare("select type from audit_events where user_id = ? and type like 'email.%' order by created_at").bind(user.id).all<{ type: string }>()
    ).results.map((r) => r.type);
    expect(types).toEqual(["email.verified", "email.change_requested", "email.changed"]);
  });

  it("an address of another account: the same 202, its owner gets a notice, the requester gets no code", async () => {
    const victim = await signUp();
    const attacker = await signUp();
    const res = await requestChange(attacker.accessToken, victim.email);
    expect(res.status).toBe(202);
    expect(res.body).toEqual((await requestChange(attacker.accessToken, uniqueEmail())).body);
    const [notice] = await waitForMessages(victim.email, 2);
    expect(notice!.subject).toMatch(/tried to use your email/);
    expect(notice!.text).not.toMatch(/\b\d{6}\b/);
    // Whatever code the attacker guesses, it fails like any wrong code; the victim is untouched.
    await new Promise((r) => setTimeout(r, 100)); // the challenge is written after the response
    const guess = await certainlyWrongCode("change-email", `${attacker.user.id}:${victim.email}`);
    expectProblem(await confirm(attacker.accessToken, guess), 400, "invalid_code");
    expect((await call("/api/me", { token: victim.accessToken })).body.email).toBe(victim.email);
  });

  it("needs a recent sign-in: a refreshed token on an old session is refused", async () => {
    const { cookie } = await signUp();
    clock.advance(11 * 60_000);
    const stale = (await call("/api/auth/refresh", { method: "POST", cookie })).body.accessToken;
    expectProblem(await requestChange(stale, uniqueEmail()), 403, "reauthentication_required");
  });

  it("the code is bound to the address asked for last, and wrong codes run out", async () => {
    const { accessToken } = await signUp();
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    await requestChange(accessToken, first);
    const [firstCode] = await waitForMessages(first);
    await requestChange(accessToken, second);
    const secondCode = codeFrom((await waitForMessages(second))[0]!);
    const wrong = flipDigit(secondCode);
    // A code for the earlier address does not confirm the later one (unless both happen to be equal).
    if (codeFrom(firstCode!) !== secondCode) expectProblem(await confirm(accessToken, codeFrom(firstCode!)), 400, "invalid_code");
    else expectProblem(await confirm(accessToken, wrong), 400, "invalid_code");
    for (let i = 0; i < 4; i++) expectProblem(await confirm(accessToken, wrong), 400, "invalid_code");
    // Five failures: even the right code is refused now.
    expectProblem(await confirm(accessToken, secondCode), 429, "too_many_attempts");
  });

  it("two accounts confirming the same address at once: one wins, the other gets email_unavailable", async () => {
    const a = await signUp();
    const b = await signUp();
    const target = uniqueEmail("contested");
    await requestChange(a.accessToken, target);
    clock.advance(61_000); // the per-address resend cooldown
    await requestChange(b.accessToken, target);
    const [toB, toA] = await waitForMessages(target, 2);
    const results = await Promise.all([confirm(a.accessToken, codeFrom(toA!)), confirm(b.accessToken, codeFrom(toB!))]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expectProblem(results.find((r) => r.status === 409)!, 409, "email_unavailable");
  });

  it("bad input changes nothing", async () => {
    const { accessToken } = await signUp();
    await expectNoStoreChange(async () => {
      for (const json of [
        {},
        { newEmail: 42 },
        { newEmail: "not-an-email" },
        { newEmail: "a@b" },
        { newEmail: "evil\u202e@example.com" },
        { newEmail: `${"a".repeat(250)}@example.com` },
        [],
      ]) {
        expectProblem(await call("/api/me/email", { json, token: accessToken }), 400, "validation_failed");
      }
      for (const json of [{}, { code: "12345" }, { code: 123456 }, { code: "１２３４５６" }])
        expectProblem(await call("/api/me/email/verify", { json, token: accessToken }), 400, "validation_failed");
      expectProblem(await confirm(accessToken, "123456"), 400, "invalid_code");
      for (const json of [{}, { token: "short" }, { token: 1 }, { token: "a".repeat(44) }])
        expectProblem(await call("/api/auth/email-change/revert", { json }), 400, "validation_failed");
      expectProblem(await call("/api/me/email", { body: "{", headers: { "content-type": "application/json" }, token: accessToken }), 400, "invalid_json");
      expectProblem(
        await call("/api/auth/email-change/revert", { body: "token=x", headers: { "content-type": "application/x-www-form-urlencoded" } }),
        415,
        "unsupported_media_type",
      );
      expectProblem(await call("/api/me/email", { json: { newEmail: uniqueEmail() } }), 401, "unauthorized");
      expectProblem(await call("/api/me/email/verify", { json: { code: "123456" } }), 401, "unauthorized");
    });
  });
});

describe("email change revert", () => {
  it("puts the old address back and ends every session", async () => {
    const { email, newEmail, revertToken, cookie, user } = await changed();
    expect((await revert(revertToken)).status).toBe(204);
    const row = await env.DB.prepare("select email from users where id = ?").bind(user.id).first<{ email: string }>();
    expect(row!.email).toBe(email);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie }), 401, "session_ended");
    expect((await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } })).status).toBe(200);
    expectProblem(await call("/api/auth/login", { json: { email: newEmail, password: STRONG_PASSWORD } }), 401, "invalid_credentials");
    const [restored] = await waitForMessages(email, 3);
    expect(restored!.subject).toMatch(/was restored/);
  });

  it("20 parallel uses of one link: exactly one 204", async () => {
    const { revertToken } = await changed();
    const results = await Promise.all(Array.from({ length: 20 }, () => revert(revertToken)));
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 204)) expectProblem(r, 400, "invalid_code");
  });

  it("expires after 7 days", async () => {
    const { revertToken, newEmail, user } = await changed();
    clock.advance(7 * 86400_000 + 1);
    expectProblem(await revert(revertToken), 400, "code_expired");
    const row = await env.DB.prepare("select email from users where id = ?").bind(user.id).first<{ email: string }>();
    expect(row!.email).toBe(newEmail);
  });

  it("reverting kills the links of later changes (a hijacker cannot revert back to their address)", async () => {
    const { revertToken, newEmail, email, password } = await changed();
    // The hijacker, signed in at the new address, moves the account again.
    const login = await call("/api/auth/login", { json: { email: newEmail, password } });
    const third = uniqueEmail("third");
    await requestChange(login.body.accessToken, third);
    const [code] = await waitForMessages(third);
    expect((await confirm(login.body.accessToken, codeFrom(code!))).status).toBe(200);
    const hijackerLink = linkTokenFrom((await waitForMessages(newEmail, 2))[0]!);
    // The owner's link from the first change still works, and the hijacker's dies with it.
    expect((await revert(revertToken)).status).toBe(204);
    expectProblem(await revert(hijackerLink), 400, "invalid_code");
    expect((await call("/api/auth/login", { json: { email, password } })).status).toBe(200);
  });

  it("an unknown token changes nothing", async () => {
    await expectNoStoreChange(async () => expectProblem(await revert("A".repeat(43)), 400, "invalid_code"));
  });
});
