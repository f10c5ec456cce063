// GET /api/me/export: a JSON attachment with everything held about the user, no secrets.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, codeFrom, expectProblem, signUp, uniqueEmail, waitForMessages } from "../helpers";
import { userWithPhone } from "../phone-helpers";
import { insertUsers, sessionFor, uniqueUsername } from "./helpers";

describe("GET /api/me/export", () => {
  it("is a JSON attachment with profile, preferences, identities, sessions, email changes, memberships and activity — and no secret", async () => {
    const { accessToken, user, phone, email } = await userWithPhone();
    const username = uniqueUsername("export");
    await call("/api/me", { method: "PATCH", json: { username, timeZone: "America/Mexico_City" }, token: accessToken });
    const newEmail = uniqueEmail("exported");
    await call("/api/me/email", { json: { newEmail }, token: accessToken });
    await call("/api/me/email/verify", { json: { code: codeFrom((await waitForMessages(newEmail))[0]!) }, token: accessToken });
    await new Promise((r) => setTimeout(r, 150));

    const res = await call("/api/me/export", { token: accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="account-export-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const doc = res.body;
    expect(doc.profile).toMatchObject({ id: user.id, email: newEmail, username, timeZone: "America/Mexico_City" });
    expect(doc.preferences).toEqual({ locale: null, notifications: { security: true, newDevice: true } });
    expect(doc.password).toEqual({ set: true, updatedAt: expect.any(String) });
    expect(doc.identities).toEqual([expect.objectContaining({ provider: "phone", subject: phone })]);
    expect(doc.sessions.length).toBeGreaterThanOrEqual(1);
    expect(doc.sessions[0]).toEqual(expect.objectContaining({ device: expect.any(String), ip: expect.any(String), createdAt: expect.any(String) }));
    expect(doc.emailChanges).toEqual([expect.objectContaining({ oldEmail: email, newEmail, revertedAt: null })]);
    expect(doc.memberships).toEqual([]);
    expect(doc.activity.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["sign_in.success", "phone.verified", "profile.updated", "email.changed"]),
    );

    // No secret of any kind.
    const text = res.text;
    const hash = (await env.DB.prepare("select hash from password_credentials where user_id = ?").bind(user.id).first<{ hash: string }>())!.hash;
    const revert = (await env.DB.prepare("select revert_token_hash as h from email_changes where user_id = ?").bind(user.id).first<{ h: string }>())!.h;
    expect(text).not.toContain(hash);
    expect(text).not.toContain(revert);
    for (const word of ["tokenHash", "rotated", "codeHash", "passwordHash", "$argon2"]) expect(text).not.toContain(word);
    const types = (await env.DB.prepare("select type from audit_events where user_id = ? and type = 'account.exported'").bind(user.id).all()).results;
    expect(types).toHaveLength(1);
  });

  it("burst: 4x the budget (3 an hour) in parallel admits exactly 3", async () => {
    const [id] = await insertUsers(1);
    const { accessToken } = await sessionFor(id!);
    const results = await Promise.all(Array.from({ length: 12 }, () => call("/api/me/export", { token: accessToken })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    for (const r of results.filter((r) => r.status !== 200)) expectProblem(r, 429, "rate_limited");
  });

  it("needs a live session", async () => {
    expectProblem(await call("/api/me/export"), 401, "unauthorized");
    expectProblem(await call("/api/me/export", { token: "a.b.c" }), 401, "invalid_token");
    const { accessToken } = await signUp();
    const { sessionId } = (await call("/api/me/token", { token: accessToken })).body;
    expect((await call(`/api/me/sessions/${sessionId}`, { method: "DELETE", token: accessToken })).status).toBe(204);
    expectProblem(await call("/api/me/export", { token: accessToken }), 401, "session_ended");
  });
});
