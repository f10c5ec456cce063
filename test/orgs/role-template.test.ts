// ORG_ROLE_TEMPLATE: roles are data copied into each new organization. A malformed
// template is a configuration error: /health names it and organization creation is
// refused (503), never a silent fallback. The README's building template works end to end.
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_ROLE_TEMPLATE, parseRoleTemplate } from "../../src/auth/org-roles";
import { sendWithEnv } from "../abuse-helpers";
import { call, expectProblem, signUp, uniqueEmail } from "../helpers";
import { memberWithRole } from "./org-helpers";

vi.setConfig({ testTimeout: 60_000 });

// The README "Roles" example, verbatim.
const BUILDING_TEMPLATE = JSON.stringify([
  { key: "owner", name: "Owner", permissions: [] },
  { key: "manager", name: "Manager", permissions: ["org:update", "members:read", "members:manage", "invitations:manage"] },
  { key: "resident", name: "Resident", permissions: [] },
]);

describe("ORG_ROLE_TEMPLATE", () => {
  it("parses the default and valid templates; the owner always holds every built-in permission", () => {
    expect(parseRoleTemplate(undefined)).toEqual({ ok: true, roles: DEFAULT_ROLE_TEMPLATE });
    const parsed = parseRoleTemplate(BUILDING_TEMPLATE);
    expect(parsed.ok).toBe(true);
    if (parsed.ok)
      expect(parsed.roles.find((r) => r.key === "owner")!.permissions).toEqual([
        "invitations:manage",
        "members:manage",
        "members:read",
        "org:delete",
        "org:update",
        "roles:manage",
      ]);
  });

  it("refuses every malformed template with a reason", () => {
    for (const bad of [
      "not json",
      "{}",
      "[]",
      '[{"key":"admin","name":"A","permissions":[]}]',
      '[{"key":"owner","name":"O"}]',
      '[{"key":"Owner","name":"O","permissions":[]}]',
      '[{"key":"owner","name":"O","permissions":["BAD PERM"]}]',
      '[{"key":"owner","name":"O","permissions":[]},{"key":"owner","name":"again","permissions":[]}]',
      '[{"key":"owner","name":"","permissions":[]}]',
      "[null]",
      JSON.stringify(Array.from({ length: 31 }, (_, i) => ({ key: `r${i}`, name: "x", permissions: [] }))),
    ]) {
      const result = parseRoleTemplate(bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/ORG_ROLE_TEMPLATE/);
    }
  });

  it("a malformed template: /health 503 naming orgRoleTemplate, org creation 503 configuration_error, nothing created", async () => {
    const vars = { ORG_ROLE_TEMPLATE: '[{"key":"admin","name":"Admin","permissions":[]}]' };
    const health = await sendWithEnv(vars, "/health");
    expect(health.status).toBe(503);
    expect(health.body.checks.orgRoleTemplate).toBe("error");
    const user = await signUp(uniqueEmail("creator"));
    expectProblem(await sendWithEnv(vars, "/api/orgs", { token: user.accessToken, json: { name: "Nope" } }), 503, "configuration_error");
    expect((await call("/api/orgs", { token: user.accessToken })).body.organizations).toEqual([]);
  });

  it("the building template: a manager invites residents and manages them; a resident sees only the building itself", async () => {
    const owner = await signUp(uniqueEmail("landlord"));
    const created = await sendWithEnv({ ORG_ROLE_TEMPLATE: BUILDING_TEMPLATE }, "/api/orgs", {
      token: owner.accessToken,
      json: { name: "Building A", kind: "building" },
    });
    expect(created.status).toBe(201);
    const building = created.body.id as string;
    const roles = await call(`/api/orgs/${building}/roles`, { token: owner.accessToken });
    expect(roles.body.roles.map((r: { key: string }) => r.key)).toEqual(["owner", "manager", "resident"]);
    const manager = await memberWithRole(owner, building, "manager");
    const resident = await memberWithRole(manager, building, "resident");
    expect((await call(`/api/orgs/${building}/members`, { token: manager.accessToken })).body.members).toHaveLength(3);
    // A manager cannot hand out management or ownership.
    expectProblem(
      await call(`/api/orgs/${building}/invitations`, { token: manager.accessToken, json: { email: uniqueEmail(), role: "owner" } }),
      403,
      "forbidden",
    );
    // Read-only: a resident reads the building, nothing else.
    expect((await call(`/api/orgs/${building}`, { token: resident.accessToken })).body).toMatchObject({
      name: "Building A",
      kind: "building",
      role: "resident",
      permissions: [],
    });
    expectProblem(await call(`/api/orgs/${building}/members`, { token: resident.accessToken }), 403, "forbidden");
    expectProblem(
      await call(`/api/orgs/${building}/invitations`, { token: resident.accessToken, json: { email: uniqueEmail(), role: "resident" } }),
      403,
      "forbidden",
    );
  });
});
