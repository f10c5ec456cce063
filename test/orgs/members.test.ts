// Members and roles: the rules that stop escalation and keep an owner, and the races.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { call, expectProblem, signUp, uniqueEmail } from "../helpers";
import { createOrg, memberRole, memberWithRole } from "./org-helpers";

vi.setConfig({ testTimeout: 60_000 });

async function ownerAndOrg() {
  const owner = await signUp(uniqueEmail("owner"));
  const org = await createOrg(owner);
  return { owner, orgId: org.id };
}

describe("members: escalation and the last owner", () => {
  it("the last owner can neither leave, be removed nor demoted; with a second owner they can", async () => {
    const { owner, orgId } = await ownerAndOrg();
    const self = owner.user.id;
    expectProblem(await call(`/api/orgs/${orgId}/members/${self}`, { method: "DELETE", token: owner.accessToken }), 409, "last_owner");
    expectProblem(await call(`/api/orgs/${orgId}/members/${self}`, { method: "PATCH", token: owner.accessToken, json: { role: "member" } }), 409, "last_owner");
    expect(await memberRole(orgId, self)).toBe("owner");
    const second = await memberWithRole(owner, orgId, "owner");
    expect((await call(`/api/orgs/${orgId}/members/${self}`, { method: "PATCH", token: owner.accessToken, json: { role: "member" } })).status).toBe(200);
    expect(await memberRole(orgId, self)).toBe("member");
    expectProblem(await call(`/api/orgs/${orgId}/members/${second.user.id}`, { method: "DELETE", token: second.accessToken }), 409, "last_owner");
  });

  it("an admin cannot make anyone owner, nor demote or remove an owner", async () => {
    const { owner, orgId } = await ownerAndOrg();
    const admin = await memberWithRole(owner, orgId, "admin");
    const member = await memberWithRole(owner, orgId, "member");
    expectProblem(
      await call(`/api/orgs/${orgId}/members/${member.user.id}`, { method: "PATCH", token: admin.accessToken, json: { role: "owner" } }),
      403,
      "forbidden",
    );
    expectProblem(
      await call(`/api/orgs/${orgId}/members/${admin.user.id}`, { method: "PATCH", token: admin.accessToken, json: { role: "owner" } }),
      403,
      "forbidden",
    );
    expectProblem(
      await call(`/api/orgs/${orgId}/members/${owner.user.id}`, { method: "PATCH", token: admin.accessToken, json: { role: "member" } }),
      403,
      "forbidden",
    );
    expectProblem(await call(`/api/orgs/${orgId}/members/${owner.user.id}`, { method: "DELETE", token: admin.accessToken }), 403, "forbidden");
    expect(await memberRole(orgId, owner.user.id)).toBe("owner");
    expect(await memberRole(orgId, member.user.id)).toBe("member");
    // Within their own permissions an admin manages freely.
    expect((await call(`/api/orgs/${orgId}/members/${member.user.id}`, { method: "PATCH", token: admin.accessToken, json: { role: "admin" } })).status).toBe(
      200,
    );
  });

  it("nobody grants a role (or defines one) holding a permission they lack", async () => {
    const { owner, orgId } = await ownerAndOrg();
    const admin = await memberWithRole(owner, orgId, "admin");
    // The owner makes a role with org:delete; the admin (no org:delete) may neither grant, invite with, edit nor delete it.
    expect(
      (await call(`/api/orgs/${orgId}/roles`, { token: owner.accessToken, json: { key: "deleter", name: "Deleter", permissions: ["org:delete"] } })).status,
    ).toBe(201);
    const member = await memberWithRole(owner, orgId, "member");
    expectProblem(
      await call(`/api/orgs/${orgId}/members/${member.user.id}`, { method: "PATCH", token: admin.accessToken, json: { role: "deleter" } }),
      403,
      "forbidden",
    );
    expectProblem(
      await call(`/api/orgs/${orgId}/invitations`, { token: admin.accessToken, json: { email: uniqueEmail(), role: "deleter" } }),
      403,
      "forbidden",
    );
    expectProblem(await call(`/api/orgs/${orgId}/roles/deleter`, { method: "PATCH", token: admin.accessToken, json: { name: "x" } }), 403, "forbidden");
    expectProblem(await call(`/api/orgs/${orgId}/roles/deleter`, { method: "DELETE", token: admin.accessToken }), 403, "forbidden");
    expectProblem(
      await call(`/api/orgs/${orgId}/roles`, { token: admin.accessToken, json: { key: "sneaky", name: "Sneaky", permissions: ["org:delete"] } }),
      403,
      "forbidden",
    );
    // ...nor widen their own role.
    expectProblem(
      await call(`/api/orgs/${orgId}/roles/admin`, {
        method: "PATCH",
        token: admin.accessToken,
        json: { permissions: ["org:delete", "members:manage", "roles:manage"] },
      }),
      403,
      "forbidden",
    );
    expect(await memberRole(orgId, member.user.id)).toBe("member");
    const roles = await call(`/api/orgs/${orgId}/roles`, { token: owner.accessToken });
    expect(roles.body.roles.map((r: { key: string }) => r.key)).not.toContain("sneaky");
    expect(roles.body.roles.find((r: { key: string }) => r.key === "admin").permissions).not.toContain("org:delete");
  });

  it("the owner role cannot be edited or deleted; a role in use cannot be deleted; deleting one revokes its invitations", async () => {
    const { owner, orgId } = await ownerAndOrg();
    expectProblem(await call(`/api/orgs/${orgId}/roles/owner`, { method: "PATCH", token: owner.accessToken, json: { permissions: [] } }), 403, "forbidden");
    expectProblem(await call(`/api/orgs/${orgId}/roles/owner`, { method: "DELETE", token: owner.accessToken }), 403, "forbidden");
    await memberWithRole(owner, orgId, "member");
    expectProblem(await call(`/api/orgs/${orgId}/roles/member`, { method: "DELETE", token: owner.accessToken }), 409, "role_in_use");
    expect((await call(`/api/orgs/${orgId}/roles`, { token: owner.accessToken, json: { key: "guest", name: "Guest", permissions: [] } })).status).toBe(201);
    const inv = await call(`/api/orgs/${orgId}/invitations`, { token: owner.accessToken, json: { email: uniqueEmail(), role: "guest" } });
    expect(inv.status).toBe(201);
    expect((await call(`/api/orgs/${orgId}/roles/guest`, { method: "DELETE", token: owner.accessToken })).status).toBe(204);
    const pending = await call(`/api/orgs/${orgId}/invitations`, { token: owner.accessToken });
    expect(pending.body.invitations.map((i: { id: string }) => i.id)).not.toContain(inv.body.id);
    expectProblem(
      await call(`/api/orgs/${orgId}/roles`, { token: owner.accessToken, json: { key: "member", name: "Again", permissions: [] } }),
      409,
      "role_exists",
    );
  });

  it("a member may leave; their sessions stop carrying the organization", async () => {
    const { owner, orgId } = await ownerAndOrg();
    const member = await memberWithRole(owner, orgId, "member");
    expect((await call(`/api/orgs/${orgId}/members/${member.user.id}`, { method: "DELETE", token: member.accessToken })).status).toBe(204);
    expect(await memberRole(orgId, member.user.id)).toBeNull();
    expect((await call(`/api/orgs/${orgId}`, { token: member.accessToken })).status).toBe(404);
  });
});

describe("races", () => {
  it("two owners demoting each other at once: exactly one succeeds, an owner remains", async () => {
    for (let round = 0; round < 3; round++) {
      const { owner, orgId } = await ownerAndOrg();
      const second = await memberWithRole(owner, orgId, "owner");
      const [a, b] = await Promise.all([
        call(`/api/orgs/${orgId}/members/${second.user.id}`, { method: "PATCH", token: owner.accessToken, json: { role: "member" } }),
        call(`/api/orgs/${orgId}/members/${owner.user.id}`, { method: "PATCH", token: second.accessToken, json: { role: "member" } }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const owners = await env.DB.prepare("SELECT count(*) AS n FROM memberships WHERE org_id = ? AND role_key = 'owner'").bind(orgId).first<{ n: number }>();
      expect(owners!.n).toBe(1);
    }
  });

  it("20 parallel removals of each owner of two: one owner always remains", async () => {
    const { owner, orgId } = await ownerAndOrg();
    const second = await memberWithRole(owner, orgId, "owner");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? call(`/api/orgs/${orgId}/members/${owner.user.id}`, { method: "DELETE", token: second.accessToken })
          : call(`/api/orgs/${orgId}/members/${second.user.id}`, { method: "DELETE", token: owner.accessToken }),
      ),
    );
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    const owners = await env.DB.prepare("SELECT count(*) AS n FROM memberships WHERE org_id = ? AND role_key = 'owner'").bind(orgId).first<{ n: number }>();
    expect(owners!.n).toBe(1);
  });

  it("a role change racing a removal leaves the member either removed or holding one role, never half of each", async () => {
    for (let round = 0; round < 3; round++) {
      const { owner, orgId } = await ownerAndOrg();
      const admin = await memberWithRole(owner, orgId, "admin");
      const member = await memberWithRole(owner, orgId, "member");
      const [change, removal] = await Promise.all([
        call(`/api/orgs/${orgId}/members/${member.user.id}`, { method: "PATCH", token: owner.accessToken, json: { role: "admin" } }),
        call(`/api/orgs/${orgId}/members/${member.user.id}`, { method: "DELETE", token: admin.accessToken }),
      ]);
      const role = await memberRole(orgId, member.user.id);
      if (removal.status === 204) {
        expect(role).toBeNull();
        expect([200, 404, 409]).toContain(change.status);
      } else {
        // The promotion won: the admin's removal saw "member" but the row now says "admin" -> refused, not applied.
        expect(change.status).toBe(200);
        expect(role).toBe("admin");
        expect([403, 409]).toContain(removal.status);
      }
    }
  });
});

describe("deleting an organization needs a recent sign-in", () => {
  it("403 reauthentication_required once the sign-in is older than the window; nothing deleted", async () => {
    const { clock } = await import("../../src/clock");
    const { owner, orgId } = await ownerAndOrg();
    clock.advance(60 * 60 * 1000);
    const refreshed = await call("/api/auth/refresh", { method: "POST", cookie: owner.cookie });
    expect(refreshed.status).toBe(200);
    expectProblem(await call(`/api/orgs/${orgId}`, { method: "DELETE", token: refreshed.body.accessToken }), 403, "reauthentication_required");
    clock.reset();
    expect(await memberRole(orgId, owner.user.id)).toBe("owner");
  });
});

describe("activity of a change someone else made", () => {
  it("the member sees the role change with the actor, but not the actor's IP or device; the actor sees both", async () => {
    const { waitForAudit } = await import("../abuse-helpers");
    const { owner, orgId } = await ownerAndOrg();
    const member = await memberWithRole(owner, orgId, "member");
    await call(`/api/orgs/${orgId}/members/${member.user.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      json: { role: "admin" },
      headers: { "cf-connecting-ip": "198.51.100.77" },
    });
    await waitForAudit(member.user.id, "member.role_changed");
    const mine = await call("/api/me/activity", { token: member.accessToken });
    expect(mine.body.events.find((e: { type: string }) => e.type === "member.role_changed")).toMatchObject({
      actorId: owner.user.id,
      orgId,
      ip: null,
      device: null,
    });
    const theirs = await call("/api/me/activity", { token: owner.accessToken });
    expect(theirs.body.events.find((e: { type: string }) => e.type === "member.role_changed")).toMatchObject({ actorId: owner.user.id, ip: "198.51.100.77" });
  });
});
