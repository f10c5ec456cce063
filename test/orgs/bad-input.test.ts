// Bad input on every organization, invitation and admin route: malformed JSON, wrong
// content type, wrong types, unknown roles, huge bodies, odd unicode and malformed ids
// get a clear 4xx problem+json, never a 500, and change nothing.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { call, signUp, uniqueEmail } from "../helpers";
import { createOrg, invite, makePlatformAdmin, memberWithRole } from "./org-helpers";

vi.setConfig({ testTimeout: 90_000 });

const ODD = ["", " ", "\u0000", "\u202e", "\u200b", "a".repeat(5000), "😀".repeat(200), "<script>", "../../etc", "%00"];
const WRONG_TYPES = [null, 42, true, [], {}, ["x"]];

async function snapshot(orgId: string) {
  const q = (sql: string) =>
    env.DB.prepare(sql)
      .bind(orgId)
      .first<{ j: string }>()
      .then((r) => r?.j);
  return [
    await q("SELECT json_group_array(json_array(name, slug, kind)) AS j FROM organizations WHERE id = ?"),
    await q("SELECT json_group_array(json_array(key, name, permissions)) AS j FROM org_roles WHERE org_id = ?"),
    await q("SELECT json_group_array(json_array(user_id, role_key)) AS j FROM memberships WHERE org_id = ?"),
    await q("SELECT json_group_array(json_array(id, email, role_key, revoked_at, accepted_at, token_hash)) AS j FROM invitations WHERE org_id = ?"),
  ];
}

function expect4xx(res: { status: number; headers: Headers; body: unknown }, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, what).toBeLessThan(500);
  expect(res.headers.get("content-type"), what).toContain("application/problem+json");
}

describe("bad input on organization routes", () => {
  it("every JSON route: malformed JSON, wrong content type, wrong field types, odd strings, a huge body -> 4xx, nothing changed", async () => {
    const owner = await signUp(uniqueEmail("owner"));
    const org = await createOrg(owner);
    const member = await memberWithRole(owner, org.id, "member");
    const pending = await invite(owner, org.id, uniqueEmail("pending"), "member");
    const before = await snapshot(org.id);
    const t = owner.accessToken;
    const routes: [string, string, Record<string, unknown>][] = [
      ["POST", "/api/orgs", { name: "x", slug: "y", kind: "z" }],
      ["PATCH", `/api/orgs/${org.id}`, { name: "x", slug: "y", kind: "z" }],
      ["PATCH", `/api/orgs/${org.id}/members/${member.user.id}`, { role: "admin" }],
      ["POST", `/api/orgs/${org.id}/roles`, { key: "k", name: "n", permissions: ["a:b"] }],
      ["PATCH", `/api/orgs/${org.id}/roles/member`, { name: "n", permissions: ["a:b"] }],
      ["POST", `/api/orgs/${org.id}/invitations`, { email: "a@example.com", role: "member", expiresInDays: 3, locale: "es" }],
      ["POST", "/api/invitations/accept", { token: "x" }],
      ["POST", "/api/auth/switch-org", { orgId: "x" }],
    ];
    // null is a legitimate value of kind (clear it) and orgId (no active organization).
    const wrongTypes = (field: string) =>
      field === "permissions"
        ? [null, 42, true, {}, "a:b", [1], ["UPPER"]]
        : field === "kind" || field === "orgId"
          ? WRONG_TYPES.filter((v) => v !== null)
          : WRONG_TYPES;
    for (const [method, path, shape] of routes) {
      expect4xx(await call(path, { method, token: t, body: "{not json", headers: { "content-type": "application/json" } }), `${path} malformed`);
      expect4xx(await call(path, { method, token: t, body: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), `${path} form`);
      expect4xx(await call(path, { method, token: t, json: "a string" }), `${path} string body`);
      expect4xx(
        await call(path, { method, token: t, body: JSON.stringify({ name: "a".repeat(70 * 1024) }), headers: { "content-type": "application/json" } }),
        `${path} huge`,
      );
      for (const field of Object.keys(shape)) {
        for (const v of wrongTypes(field))
          expect4xx(await call(path, { method, token: t, json: { ...shape, [field]: v } }), `${path} ${field}=${JSON.stringify(v)}`);
      }
    }
    // None of that changed anything.
    expect(await snapshot(org.id)).toEqual(before);
    // Odd strings in every field: some are legitimate names, but none is ever a 500.
    for (const [method, path, shape] of routes) {
      for (const field of Object.keys(shape)) {
        for (const v of ODD) {
          const res = await call(path, { method, token: t, json: { ...shape, [field]: v } });
          expect(res.status, `${path} ${field}=${JSON.stringify(v).slice(0, 30)}`).toBeLessThan(500);
        }
      }
    }
    expect(pending.id).toBeTruthy();
  });

  it("malformed ids in paths are plain 404s (never a 500), for members and strangers alike", async () => {
    const owner = await signUp(uniqueEmail("owner"));
    const org = await createOrg(owner);
    const admin = await signUp(uniqueEmail("admin"));
    await makePlatformAdmin(admin.user.id);
    const bad = ["x", "a".repeat(65), "%27%20OR%201%3D1", "..", "%F0%9F%98%80", "%00"];
    for (const id of bad) {
      for (const [method, path, token] of [
        ["GET", `/api/orgs/${id}`, owner.accessToken],
        ["GET", `/api/orgs/${id}/members`, owner.accessToken],
        ["DELETE", `/api/orgs/${org.id}/members/${id}`, owner.accessToken],
        ["PATCH", `/api/orgs/${org.id}/roles/${id}`, owner.accessToken],
        ["DELETE", `/api/orgs/${org.id}/roles/${id}`, owner.accessToken],
        ["DELETE", `/api/orgs/${org.id}/invitations/${id}`, owner.accessToken],
        ["POST", `/api/orgs/${org.id}/invitations/${id}/resend`, owner.accessToken],
        ["GET", `/api/invitations/${id}`, undefined],
        ["GET", `/api/admin/users/${id}`, admin.accessToken],
        ["POST", `/api/admin/users/${id}/disable`, admin.accessToken],
        ["DELETE", `/api/admin/users/${id}`, admin.accessToken],
      ] as const) {
        const res = await call(path, { method, token, ...(method === "PATCH" ? { json: { name: "x" } } : {}) });
        expect4xx(res, `${method} ${path}`);
      }
    }
  });

  it("validation: slugs, role keys, permissions, names and emails say what is wrong", async () => {
    const owner = await signUp(uniqueEmail("owner"));
    const org = await createOrg(owner);
    const t = owner.accessToken;
    for (const slug of ["-a", "a-", "A B", "a".repeat(49), "ä"]) {
      const res = await call("/api/orgs", { token: t, json: { name: "ok", slug } });
      expect(res.status, slug).toBe(400);
      expect(res.body.errors[0].path).toBe("slug");
    }
    expect((await call("/api/orgs", { token: t, json: { name: "ok", slug: "UPPER-case" } })).body.slug).toBe("upper-case");
    expect((await call("/api/orgs", { token: t, json: { name: "ok", slug: "upper-case" } })).body.code).toBe("slug_taken");
    expect((await call(`/api/orgs/${org.id}`, { method: "PATCH", token: t, json: { slug: "upper-case" } })).body.code).toBe("slug_taken");
    expect((await call(`/api/orgs/${org.id}`, { method: "PATCH", token: t, json: {} })).status).toBe(400);
    for (const key of ["Owner", "1abc", "a".repeat(33), "a b"])
      expect((await call(`/api/orgs/${org.id}/roles`, { token: t, json: { key, name: "x", permissions: [] } })).status, key).toBe(400);
    for (const permissions of [["UPPER"], ["a b"], ["a::b"], Array.from({ length: 51 }, (_, i) => `p${i}`)]) {
      expect((await call(`/api/orgs/${org.id}/roles`, { token: t, json: { key: "k", name: "x", permissions } })).status).toBe(400);
    }
    const unknownRole = await call(`/api/orgs/${org.id}/invitations`, { token: t, json: { email: uniqueEmail(), role: "nope" } });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.errors[0].path).toBe("role");
    for (const email of ["no-at", "a@b", "a b@example.com", "a\u202e@example.com"])
      expect((await call(`/api/orgs/${org.id}/invitations`, { token: t, json: { email, role: "member" } })).status, email).toBe(400);
  });
});
