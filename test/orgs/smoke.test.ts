import { describe, expect, it } from "vitest";
import { call, signUp, uniqueEmail } from "../helpers";
import { claimsOf, createOrg, invite, memberWithRole } from "./org-helpers";

describe("smoke", () => {
  it("create, invite, accept, switch", async () => {
    const owner = await signUp();
    const org = await createOrg(owner, { name: "Torre Norte" });
    expect(org.slug).toMatch(/^torre-norte/);
    const member = await memberWithRole(owner, org.id, "member");
    const list = await call(`/api/orgs/${org.id}/members`, { token: owner.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.members).toHaveLength(2);
    const sw = await call("/api/auth/switch-org", { token: member.accessToken, json: { orgId: org.id } });
    expect(sw.status, JSON.stringify(sw.body)).toBe(200);
    expect(claimsOf(sw.body.accessToken).org).toMatchObject({ id: org.id, role: "member" });
    const email = uniqueEmail("new");
    const inv = await invite(owner, org.id, email, "admin");
    const look = await call(`/api/invitations/${inv.token}`);
    expect(look.status).toBe(200);
    const reg = await call("/api/auth/register", { json: { email, password: "correct horse battery staple 42", invitationToken: inv.token } });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    expect(claimsOf(reg.body.accessToken).org).toMatchObject({ id: org.id, role: "admin" });
    const health = await call("/health");
    expect(health.body.checks).toMatchObject({ orgRoleTemplate: "ok", registrationMode: "ok" });
  });
});
