// The active organization: switch-org issues the `org` claim; refresh re-reads the
// membership (a role change shows in the next token, a removal or deletion drops the
// claim); the session record keeps only the org id.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { call, expectProblem, refreshCookieFrom, signUp, uniqueEmail } from "../helpers";
import { claimsOf, createOrg, memberWithRole } from "./org-helpers";

vi.setConfig({ testTimeout: 60_000 });

const refresh = (cookie: string) => call("/api/auth/refresh", { method: "POST", cookie });

async function activeSession(role: string) {
  const owner = await signUp(uniqueEmail("owner"));
  const org = await createOrg(owner, { name: "Casa Azul" });
  const member = await memberWithRole(owner, org.id, role);
  const switched = await call("/api/auth/switch-org", { token: member.accessToken, json: { orgId: org.id } });
  expect(switched.status).toBe(200);
  return { owner, org, member, switched };
}

async function sessionRecord(userId: string, sessionId: string) {
  const fence = env.SESSIONS.get(env.SESSIONS.idFromName(`user:${userId}`));
  return (await fence.list(Date.now())).find((s) => s.id === sessionId);
}

describe("active organization", () => {
  it("switch-org: a new access token with org {id, slug, role, permissions}; null clears it; refresh keeps it", async () => {
    const { org, member, switched } = await activeSession("admin");
    expect(switched.body).toMatchObject({ tokenType: "Bearer", expiresIn: 900, org: { id: org.id, slug: org.slug, role: "admin" } });
    const claims = claimsOf(switched.body.accessToken);
    expect(claims.org).toEqual({ id: org.id, slug: org.slug, role: "admin", permissions: expect.arrayContaining(["members:manage", "invitations:manage"]) });
    expect(claims.sid).toBe(claimsOf(member.accessToken).sid);
    expect((await sessionRecord(member.user.id, claims.sid))?.activeOrgId).toBe(org.id);
    const refreshed = await refresh(member.cookie);
    expect(claimsOf(refreshed.body.accessToken).org).toMatchObject({ id: org.id, role: "admin" });
    const cleared = await call("/api/auth/switch-org", { token: refreshed.body.accessToken, json: { orgId: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.org).toBeNull();
    expect(claimsOf(cleared.body.accessToken).org).toBeUndefined();
    expect(claimsOf((await refresh(refreshCookieFrom(refreshed.headers))).body.accessToken).org).toBeUndefined();
  });

  it("refuses an organization the caller is not in with the same 404 as an unknown one", async () => {
    const { org } = await activeSession("member");
    const stranger = await signUp(uniqueEmail("stranger"));
    const real = await call("/api/auth/switch-org", { token: stranger.accessToken, json: { orgId: org.id } });
    const fake = await call("/api/auth/switch-org", { token: stranger.accessToken, json: { orgId: "A".repeat(22) } });
    expectProblem(real, 404, "not_found");
    expect(real.body).toEqual(fake.body);
    for (const bad of [{ orgId: 42 }, {}, { orgId: "x".repeat(65) }, { orgId: ["a"] }])
      expectProblem(await call("/api/auth/switch-org", { token: stranger.accessToken, json: bad }), 400, "validation_failed");
    expectProblem(await call("/api/auth/switch-org", { json: { orgId: null } }), 401, "unauthorized");
  });

  it("a role change reaches the next refresh (staleness: one access-token lifetime)", async () => {
    const { owner, org, member } = await activeSession("member");
    expect((await call(`/api/orgs/${org.id}/members/${member.user.id}`, { method: "PATCH", token: owner.accessToken, json: { role: "admin" } })).status).toBe(
      200,
    );
    expect(claimsOf((await refresh(member.cookie)).body.accessToken).org).toMatchObject({ role: "admin" });
  });

  it("a role's permissions edited: members holding it get them at their next refresh", async () => {
    const { owner, org, member } = await activeSession("member");
    expect(
      (
        await call(`/api/orgs/${org.id}/roles/member`, {
          method: "PATCH",
          token: owner.accessToken,
          json: { permissions: ["members:read", "app:reports.read"] },
        })
      ).status,
    ).toBe(200);
    expect(claimsOf((await refresh(member.cookie)).body.accessToken).org?.permissions).toEqual(["app:reports.read", "members:read"]);
  });

  it("removal clears the session's active org; the next token carries none", async () => {
    const { owner, org, member, switched } = await activeSession("member");
    expect((await call(`/api/orgs/${org.id}/members/${member.user.id}`, { method: "DELETE", token: owner.accessToken })).status).toBe(204);
    const next = await refresh(member.cookie);
    expect(claimsOf(next.body.accessToken).org).toBeUndefined();
    const sid = claimsOf(switched.body.accessToken).sid;
    await expect.poll(async () => (await sessionRecord(member.user.id, sid))?.activeOrgId).toBeUndefined();
  });

  it("deleting the organization clears every member's active org", async () => {
    const { owner, org, member, switched } = await activeSession("admin");
    const ownerSwitch = await call("/api/auth/switch-org", { token: owner.accessToken, json: { orgId: org.id } });
    expect(ownerSwitch.status).toBe(200);
    expect((await call(`/api/orgs/${org.id}`, { method: "DELETE", token: owner.accessToken })).status).toBe(204);
    expect(claimsOf((await refresh(member.cookie)).body.accessToken).org).toBeUndefined();
    await expect.poll(async () => (await sessionRecord(member.user.id, claimsOf(switched.body.accessToken).sid))?.activeOrgId).toBeUndefined();
    const rows = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM memberships WHERE org_id = ?1) + (SELECT count(*) FROM org_roles WHERE org_id = ?1) + (SELECT count(*) FROM invitations WHERE org_id = ?1) AS n",
    )
      .bind(org.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});
