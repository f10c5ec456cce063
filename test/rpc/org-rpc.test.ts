// getMemberships / checkPermission over the service binding (through the auxiliary
// Worker, as another team's Worker calls them), and the verifier's requirePermission
// middleware reading the token's `org` claim.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { requirePermission, serviceAuth, type AuthVariables } from "edge-auth/verifier";
import { rpc } from "./other-worker";
import { call, signUp, uniqueEmail } from "../helpers";
import { createOrg, memberWithRole } from "../orgs/org-helpers";

vi.setConfig({ testTimeout: 60_000 });

const BAD = [123, null, {}, [], "", "../x", "' OR 1=1 --", "ü".repeat(30), "a".repeat(65), "\u0000abc"];

describe("AuthService: organizations", () => {
  it("getMemberships lists the user's organizations with role and permissions", async () => {
    const owner = await signUp(uniqueEmail("owner"));
    const org = await createOrg(owner, { name: "RPC Org", kind: "team" });
    const member = await memberWithRole(owner, org.id, "member");
    expect(await rpc("getMemberships", member.user.id)).toEqual([
      {
        orgId: org.id,
        name: "RPC Org",
        slug: org.slug,
        kind: "team",
        role: "member",
        permissions: ["members:read"],
        joinedAt: expect.stringMatching(/^\d{4}-/),
      },
    ]);
    expect(await rpc("getMemberships", "n".repeat(22))).toEqual([]);
    for (const bad of BAD) expect(await rpc("getMemberships", bad)).toEqual([]);
  });

  it("checkPermission reads D1 now: role changes, removal and disabling show at once", async () => {
    const owner = await signUp(uniqueEmail("owner"));
    const org = await createOrg(owner);
    const member = await memberWithRole(owner, org.id, "member");
    expect(await rpc("checkPermission", member.user.id, org.id, "members:read")).toBe(true);
    expect(await rpc("checkPermission", member.user.id, org.id, "members:manage")).toBe(false);
    // The owner holds everything, custom permissions included.
    expect(await rpc("checkPermission", owner.user.id, org.id, "app:anything")).toBe(true);
    await call(`/api/orgs/${org.id}/members/${member.user.id}`, { method: "PATCH", token: owner.accessToken, json: { role: "admin" } });
    expect(await rpc("checkPermission", member.user.id, org.id, "members:manage")).toBe(true);
    await call(`/api/orgs/${org.id}/members/${member.user.id}`, { method: "DELETE", token: owner.accessToken });
    expect(await rpc("checkPermission", member.user.id, org.id, "members:read")).toBe(false);
    await env.DB.prepare("UPDATE users SET disabled_at = 1 WHERE id = ?").bind(owner.user.id).run();
    expect(await rpc("checkPermission", owner.user.id, org.id, "members:read")).toBe(false);
    for (const bad of BAD) {
      expect(await rpc("checkPermission", bad, org.id, "members:read")).toBe(false);
      expect(await rpc("checkPermission", owner.user.id, bad, "members:read")).toBe(false);
      expect(await rpc("checkPermission", owner.user.id, org.id, bad)).toBe(false);
    }
  });

  it("verifyAccessToken returns the org and act claims", async () => {
    const owner = await signUp(uniqueEmail("owner"));
    const org = await createOrg(owner);
    const switched = await call("/api/auth/switch-org", { token: owner.accessToken, json: { orgId: org.id } });
    const result = await rpc("verifyAccessToken", switched.body.accessToken);
    if (!result.ok) throw new Error(result.reason);
    expect(result.claims.org).toEqual({ id: org.id, slug: org.slug, role: "owner", permissions: expect.arrayContaining(["org:delete"]) });
  });
});

describe("edge-auth/verifier requirePermission", () => {
  const authService = () => (exports as unknown as { AuthService: unknown }).AuthService;
  const app = new Hono<{ Variables: AuthVariables }>();
  app.use("/api/*", serviceAuth());
  app.get("/api/members", requirePermission("members:manage"), (c) => c.json({ org: c.get("auth").org?.id }));
  app.get("/api/orgs/:orgId/reports", requirePermission("app:reports.read", { orgIdParam: "orgId" }), (c) => c.json({ ok: true }));
  const get = async (path: string, token: string) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } }, { AUTH: authService() });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it("allows by the org claim; 403 without an active org or without the permission; the org id must match the route when asked", async () => {
    const owner = await signUp(uniqueEmail("owner"));
    const org = await createOrg(owner);
    const admin = await memberWithRole(owner, org.id, "admin");
    const member = await memberWithRole(owner, org.id, "member");
    const switchTo = async (p: { accessToken: string }) =>
      (await call("/api/auth/switch-org", { token: p.accessToken, json: { orgId: org.id } })).body.accessToken as string;
    const noOrg = await get("/api/members", admin.accessToken);
    expect(noOrg).toMatchObject({ status: 403, body: { code: "forbidden", status: 403 } });
    expect(await get("/api/members", await switchTo(admin))).toEqual({ status: 200, body: { org: org.id } });
    expect((await get("/api/members", await switchTo(member))).status).toBe(403);
    const ownerToken = await switchTo(owner);
    expect((await get(`/api/orgs/${org.id}/reports`, ownerToken)).status).toBe(200);
    expect((await get(`/api/orgs/${"o".repeat(22)}/reports`, ownerToken)).status).toBe(403);
    expect((await get(`/api/orgs/${org.id}/reports`, await switchTo(admin))).status).toBe(403);
  });
});
