// The platform admin API: only admins (everyone else gets the 404 of an unknown path),
// search with paging, detail, disable (ends every session at once), enable, sign-out,
// verify-email, delete (last owner refused), impersonation (act claim, 15 minutes, no
// security changes, no admin API, visible to the user).
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import { waitForAudit } from "../abuse-helpers";
import { call, expectProblem, nextMessage, signUp, STRONG_PASSWORD, uniqueEmail } from "../helpers";
import { signUpWithTotp } from "../mfa/helpers";
import { claimsOf, createOrg, makePlatformAdmin, memberWithRole } from "./org-helpers";

vi.setConfig({ testTimeout: 60_000 });

async function admin() {
  const a = await signUp(uniqueEmail("admin"));
  await makePlatformAdmin(a.user.id);
  return a;
}

describe("platform admin API", () => {
  it("is invisible to everyone else: 404 for non-admins, 401 signed out", async () => {
    const user = await signUp(uniqueEmail("plain"));
    const target = user.user.id;
    const routes: [string, string][] = [
      ["GET", "/api/admin/users"],
      ["GET", `/api/admin/users/${target}`],
      ["POST", `/api/admin/users/${target}/disable`],
      ["POST", `/api/admin/users/${target}/enable`],
      ["POST", `/api/admin/users/${target}/sign-out`],
      ["POST", `/api/admin/users/${target}/verify-email`],
      ["DELETE", `/api/admin/users/${target}`],
      ["POST", `/api/admin/users/${target}/impersonate`],
      ["POST", `/api/admin/users/${target}/reset-second-factors`],
    ];
    for (const [method, path] of routes) {
      expectProblem(await call(path, { method, token: user.accessToken }), 404, "not_found");
      expectProblem(await call(path, { method }), 401, "unauthorized");
    }
    expect((await call("/api/me", { token: user.accessToken })).status).toBe(200);
  });

  it("searches by email prefix, name, phone and id, pages with a cursor, treats % and _ literally", async () => {
    const a = await admin();
    const tag = `zq${crypto.randomUUID().slice(0, 6)}`;
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await signUp(`${tag}.${i}@example.com`));
    const first = await call(`/api/admin/users?query=${tag}`, { token: a.accessToken });
    expect(first.status).toBe(200);
    expect(first.body.users.map((u: { email: string }) => u.email).sort()).toEqual(people.map((p) => p.email).sort());
    expect(
      (await call(`/api/admin/users?query=${encodeURIComponent(people[0]!.user.id)}`, { token: a.accessToken })).body.users.map((u: { id: string }) => u.id),
    ).toContain(people[0]!.user.id);
    expect((await call(`/api/admin/users?query=${encodeURIComponent("%")}`, { token: a.accessToken })).body.users).toEqual([]);
    // Paging: 20 a page, newest first, no overlap.
    const all = await call("/api/admin/users", { token: a.accessToken });
    expect(all.body.users.length).toBeGreaterThan(0);
    if (all.body.nextCursor) {
      const next = await call(`/api/admin/users?cursor=${encodeURIComponent(all.body.nextCursor)}`, { token: a.accessToken });
      expect(next.status).toBe(200);
      const ids = new Set(all.body.users.map((u: { id: string }) => u.id));
      expect(next.body.users.some((u: { id: string }) => ids.has(u.id))).toBe(false);
    }
    for (const q of ["cursor=abc", "cursor=1.%27", `query=${"a".repeat(300)}`, "query=%00"])
      expectProblem(await call(`/api/admin/users?${q}`, { token: a.accessToken }), 400, "validation_failed");
  });

  it("detail: profile, sessions, memberships and recent activity", async () => {
    const a = await admin();
    const user = await signUp(uniqueEmail("detail"));
    const org = await createOrg(user);
    const res = await call(`/api/admin/users/${user.user.id}`, { token: a.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.user.id, email: user.email, disabled: false, isPlatformAdmin: false });
    expect(res.body.sessions.length).toBeGreaterThan(0);
    expect(res.body.memberships).toEqual([expect.objectContaining({ orgId: org.id, role: "owner" })]);
    expect(res.body.activity.length).toBeGreaterThan(0);
    expectProblem(await call(`/api/admin/users/${"n".repeat(22)}`, { token: a.accessToken }), 404, "not_found");
  });

  it("disable ends every session at once and blocks sign-in; enable restores it; both are in the user's activity with the admin as actor", async () => {
    const a = await admin();
    const user = await signUp(uniqueEmail("abuser"));
    const res = await call(`/api/admin/users/${user.user.id}/disable`, { method: "POST", token: a.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.endedSessions).toBeGreaterThan(0);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie: user.cookie }), 401, "session_ended");
    expectProblem(await call("/api/me/sessions", { token: user.accessToken }), 401, "session_ended");
    expectProblem(await call("/api/auth/login", { json: { email: user.email, password: STRONG_PASSWORD } }), 401, "invalid_credentials");
    expect((await call(`/api/admin/users/${user.user.id}/enable`, { method: "POST", token: a.accessToken })).status).toBe(200);
    const again = await call("/api/auth/login", { json: { email: user.email, password: STRONG_PASSWORD } });
    expect(again.status).toBe(200);
    const [row] = await waitForAudit(user.user.id, "admin.user_disabled");
    expect(row).toBeDefined();
    const activity = await call("/api/me/activity", { token: again.body.accessToken });
    expect(activity.body.events.find((e: { type: string }) => e.type === "admin.user_disabled")).toMatchObject({ actorId: a.user.id });
    expectProblem(await call(`/api/admin/users/${a.user.id}/disable`, { method: "POST", token: a.accessToken }), 409, "conflict");
  });

  it("reset-second-factors: a locked-out user signs in with the password alone again, and is told by email", async () => {
    const a = await admin();
    const user = await signUpWithTotp();
    expect((await call("/api/auth/login", { json: { email: user.email, password: STRONG_PASSWORD } })).body.mfaRequired).toBe(true);
    const reset = await nextMessage(
      user.email,
      (m) => /verification was reset|se restableció/i.test(m.subject),
      () => call(`/api/admin/users/${user.user.id}/reset-second-factors`, { method: "POST", token: a.accessToken }),
    );
    expect(reset.result.status).toBe(200);
    expect(reset.result.body).toMatchObject({ totp: true });
    const login = await call("/api/auth/login", { json: { email: user.email, password: STRONG_PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body.accessToken).toEqual(expect.any(String));
    await waitForAudit(user.user.id, "mfa.reset");
    expectProblem(
      await call(`/api/admin/users/nobody-${crypto.randomUUID().slice(0, 8)}/reset-second-factors`, { method: "POST", token: a.accessToken }),
      404,
      "not_found",
    );
  });

  it("sign-out and verify-email", async () => {
    const a = await admin();
    const user = await signUp(uniqueEmail("so"));
    expect((await call(`/api/admin/users/${user.user.id}/sign-out`, { method: "POST", token: a.accessToken })).body.endedSessions).toBeGreaterThan(0);
    expectProblem(await call("/api/auth/refresh", { method: "POST", cookie: user.cookie }), 401, "session_ended");
    // An account whose email is not verified (e.g. a social sign-up whose provider did not verify it).
    const unverified = uniqueEmail("unverified");
    const id = `unverified-${crypto.randomUUID().slice(0, 8)}`;
    await env.DB.prepare("INSERT INTO users (id, email, created_at, updated_at) VALUES (?, ?, 1, 1)").bind(id, unverified).run();
    const res = await call(`/api/admin/users/${id}/verify-email`, { method: "POST", token: a.accessToken });
    expect(res.body.user.emailVerified).toBe(true);
    expect(await env.DB.prepare("SELECT email_verified_at FROM users WHERE id = ?").bind(id).first<{ email_verified_at: number | null }>()).not.toEqual({
      email_verified_at: null,
    });
  });

  it("delete: refused while the user is the last owner of an organization with other members; solo organizations go with them", async () => {
    const a = await admin();
    const owner = await signUp(uniqueEmail("del-owner"));
    const shared = await createOrg(owner);
    const solo = await createOrg(owner);
    const member = await memberWithRole(owner, shared.id, "member");
    const refused = await call(`/api/admin/users/${owner.user.id}`, { method: "DELETE", token: a.accessToken });
    expectProblem(refused, 409, "last_owner");
    expect(refused.body.organizations).toEqual([shared.id]);
    expect(
      (await call(`/api/orgs/${shared.id}/members/${member.user.id}`, { method: "PATCH", token: owner.accessToken, json: { role: "owner" } })).status,
    ).toBe(200);
    expect((await call(`/api/admin/users/${owner.user.id}`, { method: "DELETE", token: a.accessToken })).status).toBe(204);
    expect(await env.DB.prepare("SELECT id FROM users WHERE id = ?").bind(owner.user.id).first()).toBeNull();
    expect(await env.DB.prepare("SELECT id FROM organizations WHERE id = ?").bind(solo.id).first()).toBeNull();
    expect(await env.DB.prepare("SELECT count(*) AS n FROM memberships WHERE user_id = ?").bind(owner.user.id).first<{ n: number }>()).toEqual({ n: 0 });
    expect((await call(`/api/orgs/${shared.id}/members`, { token: member.accessToken })).body.members).toHaveLength(1);
    expect((await call("/api/auth/refresh", { method: "POST", cookie: owner.cookie })).status).toBe(401);
  });
});

describe("impersonation", () => {
  it("a 15-minute session with act {sub: admin}; refused on security routes and the admin API; visible to the user", async () => {
    const a = await admin();
    const user = await signUp(uniqueEmail("target"));
    const org = await createOrg(user);
    const res = await call(`/api/admin/users/${user.user.id}/impersonate`, { method: "POST", token: a.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    const claims = claimsOf(res.body.accessToken);
    expect(claims).toMatchObject({ sub: user.user.id, act: { sub: a.user.id } });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(15 * 60);
    const token = res.body.accessToken as string;
    // Reads and ordinary work are allowed.
    expect((await call("/api/me", { token })).status).toBe(200);
    expect((await call(`/api/orgs/${org.id}/members`, { token })).status).toBe(200);
    // Security settings are not, whatever the route.
    for (const [method, path, json] of [
      ["POST", "/api/me/password", { currentPassword: STRONG_PASSWORD, newPassword: "another strong passphrase 99" }],
      ["POST", "/api/me/phone", { phone: "+14155550100" }],
      ["DELETE", "/api/me/sessions", undefined],
      ["DELETE", `/api/me/identities/${"i".repeat(22)}`, undefined],
      ["GET", "/api/admin/users", undefined],
    ] as const) {
      expectProblem(await call(path, { method, token, ...(json ? { json } : {}) }), 403, "impersonation_forbidden");
    }
    expect((await call(`/api/orgs/${org.id}`, { method: "PATCH", token, json: { name: "Renamed while impersonating" } })).status).toBe(200);
    // Switching organization keeps the act claim.
    const switched = await call("/api/auth/switch-org", { token, json: { orgId: org.id } });
    expect(claimsOf(switched.body.accessToken)).toMatchObject({ act: { sub: a.user.id }, org: { id: org.id } });
    // The refresh token works for 15 minutes, not a second more.
    const refreshed = await call("/api/auth/refresh", {
      method: "POST",
      json: { refreshToken: res.body.refreshToken },
      headers: { "x-token-transport": "body" },
    });
    expect(refreshed.status).toBe(200);
    expect(claimsOf(refreshed.body.accessToken).act).toEqual({ sub: a.user.id });
    clock.advance(15 * 60 * 1000 + 1000);
    expect(
      (await call("/api/auth/refresh", { method: "POST", json: { refreshToken: refreshed.body.refreshToken }, headers: { "x-token-transport": "body" } }))
        .status,
    ).toBe(401);
    clock.reset();
    // The user sees it: in their activity (with the admin as actor) and in their sessions.
    const login = await call("/api/auth/login", { json: { email: user.email, password: STRONG_PASSWORD } });
    await waitForAudit(user.user.id, "impersonation.started");
    const activity = await call("/api/me/activity", { token: login.body.accessToken });
    expect(activity.body.events.find((e: { type: string }) => e.type === "impersonation.started")).toMatchObject({ actorId: a.user.id });
    // Org changes made while impersonating named the admin as impersonator.
    await expect
      .poll(
        async () =>
          (await call(`/api/orgs/${org.id}/activity`, { token: login.body.accessToken })).body.events.find((e: { type: string }) => e.type === "org.updated")
            ?.impersonatorId,
      )
      .toBe(a.user.id);
  });

  it("refuses to impersonate another admin, a disabled account or yourself", async () => {
    const a = await admin();
    const b = await admin();
    expectProblem(await call(`/api/admin/users/${b.user.id}/impersonate`, { method: "POST", token: a.accessToken }), 403, "forbidden");
    expectProblem(await call(`/api/admin/users/${a.user.id}/impersonate`, { method: "POST", token: a.accessToken }), 409, "conflict");
    const user = await signUp(uniqueEmail("disabled"));
    await call(`/api/admin/users/${user.user.id}/disable`, { method: "POST", token: a.accessToken });
    expectProblem(await call(`/api/admin/users/${user.user.id}/impersonate`, { method: "POST", token: a.accessToken }), 403, "forbidden");
  });
});
