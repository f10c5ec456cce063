// Deactivate / reactivate, schedule / cancel deletion.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, expectProblem, signUp, STRONG_PASSWORD, waitForMessages } from "../helpers";
import { expectNoStoreChange } from "../store-snapshot";
import { userWithPhone } from "../phone-helpers";

const login = (email: string, password = STRONG_PASSWORD) => call("/api/auth/login", { json: { email, password } });

describe("deactivation", () => {
  it("ends every session; the right password then offers reactivation, which restores the account", async () => {
    const { accessToken, cookie, email, user } = await signUp();
    expect((await call("/api/me/deactivate", { method: "POST", token: accessToken })).status).toBe(204);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie }), 401, "session_ended");
    expectProblem(await call("/api/me", { token: accessToken }), 401, "invalid_token");
    const [notice] = await waitForMessages(email, 2);
    expect(notice!.subject).toMatch(/is deactivated/);

    // A wrong password says nothing about the deactivation.
    expectProblem(await login(email, "wrong password, not this one"), 401, "invalid_credentials");
    const refused = await login(email);
    expectProblem(refused, 403, "account_deactivated");
    expect(refused.body.reactivationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(refused.headers.getSetCookie()).toEqual([]);

    const back = await call("/api/auth/reactivate", { json: { reactivationToken: refused.body.reactivationToken } });
    expect(back.status).toBe(200);
    expect(back.body.user.id).toBe(user.id);
    expect((await call("/api/me", { token: back.body.accessToken })).status).toBe(200);
    expect((await login(email)).status).toBe(200);
    const types = (
      await env.DB.prepare("select type from audit_events where user_id = ? and type like 'account.%'").bind(user.id).all<{ type: string }>()
    ).results.map((r) => r.type);
    expect(types).toEqual(["account.deactivated", "account.reactivated"]);
  });

  it("20 parallel reactivations with one token: exactly one signs in", async () => {
    const { accessToken, email } = await signUp();
    await call("/api/me/deactivate", { method: "POST", token: accessToken });
    const token = (await login(email)).body.reactivationToken;
    const results = await Promise.all(Array.from({ length: 20 }, () => call("/api/auth/reactivate", { json: { reactivationToken: token } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expectProblem(r, 400, "invalid_code");
  });

  it("a sign-in code also leads to reactivation", async () => {
    const { accessToken, phone } = await userWithPhone();
    await call("/api/me/deactivate", { method: "POST", token: accessToken });
    expect((await call("/api/auth/otp/send", { json: { phone } })).status).toBe(202);
    const [sms] = await waitForMessages(phone, 2);
    const res = await call("/api/auth/otp/verify", { json: { phone, code: codeFrom(sms!) } });
    expectProblem(res, 403, "account_deactivated");
    expect((await call("/api/auth/reactivate", { json: { reactivationToken: res.body.reactivationToken } })).status).toBe(200);
  });

  it("after 30 days there is nothing to reactivate", async () => {
    const { accessToken, email } = await signUp();
    await call("/api/me/deactivate", { method: "POST", token: accessToken });
    const token = (await login(email)).body.reactivationToken;
    clock.advance(30 * 86400_000 + 1);
    expectProblem(await login(email), 401, "invalid_credentials");
    expectProblem(await call("/api/auth/reactivate", { json: { reactivationToken: token } }), 400, "invalid_code");
  });

  it("needs a recent sign-in; bad input changes nothing", async () => {
    const { cookie, accessToken } = await signUp();
    await expectNoStoreChange(async () => {
      for (const json of [{}, { reactivationToken: "x" }, { reactivationToken: 1 }, { reactivationToken: "A".repeat(44) }]) {
        expectProblem(await call("/api/auth/reactivate", { json }), 400, "validation_failed");
      }
      expectProblem(await call("/api/auth/reactivate", { json: { reactivationToken: "A".repeat(43) } }), 400, "invalid_code");
      expectProblem(await call("/api/auth/reactivate", { body: "{", headers: { "content-type": "application/json" } }), 400, "invalid_json");
      expectProblem(await call("/api/me/deactivate", { method: "POST" }), 401, "unauthorized");
      expectProblem(await call("/api/me", { method: "DELETE" }), 401, "unauthorized");
      expectProblem(await call("/api/me/deletion/cancel", { method: "POST" }), 401, "unauthorized");
    });
    clock.advance(11 * 60_000);
    const stale = (await call("/api/auth/refresh", { method: "POST", cookie })).body.accessToken;
    expectProblem(await call("/api/me/deactivate", { method: "POST", token: stale }), 403, "reauthentication_required");
    expectProblem(await call("/api/me", { method: "DELETE", token: stale }), 403, "reauthentication_required");
    expect((await call("/api/me", { token: accessToken })).body.deletionScheduledAt).toBeNull();
  });
});

describe("scheduled deletion", () => {
  it("DELETE /api/me: 202 with the time, sessions end; signing in and cancelling keeps the account", async () => {
    const { accessToken, cookie, email, user } = await signUp();
    const before = clock.now();
    const res = await call("/api/me", { method: "DELETE", token: accessToken });
    expect(res.status).toBe(202);
    const at = Date.parse(res.body.deletionScheduledAt);
    expect(at).toBeGreaterThanOrEqual(before + 14 * 86400_000);
    expect(at).toBeLessThanOrEqual(clock.now() + 14 * 86400_000);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie }), 401, "session_ended");
    const [notice] = await waitForMessages(email, 2);
    expect(notice!.subject).toMatch(/will be deleted/);

    const again = await login(email);
    expect(again.status).toBe(200);
    expect((await call("/api/me", { token: again.body.accessToken })).body.deletionScheduledAt).toBe(res.body.deletionScheduledAt);
    expect((await call("/api/me/deletion/cancel", { method: "POST", token: again.body.accessToken })).status).toBe(204);
    expect((await call("/api/me", { token: again.body.accessToken })).body.deletionScheduledAt).toBeNull();
    expect((await call("/api/me/deletion/cancel", { method: "POST", token: again.body.accessToken })).status).toBe(204);
    const types = (
      await env.DB.prepare("select type from audit_events where user_id = ? and type like 'account.%'").bind(user.id).all<{ type: string }>()
    ).results.map((r) => r.type);
    expect(types).toEqual(["account.deletion_scheduled", "account.deletion_cancelled"]);
  });

  it("asking twice keeps the first date", async () => {
    const { accessToken, email } = await signUp();
    const first = (await call("/api/me", { method: "DELETE", token: accessToken })).body.deletionScheduledAt;
    clock.advance(60_000);
    const again = await login(email);
    const second = (await call("/api/me", { method: "DELETE", token: again.body.accessToken })).body.deletionScheduledAt;
    expect(second).toBe(first);
  });
});
