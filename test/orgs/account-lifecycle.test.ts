// Organizations in the account lifecycle: the last owner of an organization cannot
// schedule their own deletion (409 deletion_blocked, naming it) until someone else owns
// it; the export lists the user's memberships.
import { describe, expect, it, vi } from "vitest";
import { call, expectProblem, signUp, uniqueEmail } from "../helpers";
import { createOrg, memberWithRole } from "./org-helpers";

vi.setConfig({ testTimeout: 60_000 });

describe("organizations in the account lifecycle", () => {
  it("DELETE /api/me: blocked while the last owner of an organization; allowed once another member owns it", async () => {
    const owner = await signUp(uniqueEmail("leaving-owner"));
    const org = await createOrg(owner, { name: "Keep Me" });
    const blocked = await call("/api/me", { method: "DELETE", token: owner.accessToken });
    expectProblem(blocked, 409, "deletion_blocked");
    expect(blocked.body.blockers).toEqual([{ kind: "organization", id: org.id, name: "Keep Me" }]);
    const heir = await memberWithRole(owner, org.id, "member");
    expect((await call(`/api/orgs/${org.id}/members/${heir.user.id}`, { method: "PATCH", token: owner.accessToken, json: { role: "owner" } })).status).toBe(
      200,
    );
    expect((await call("/api/me", { method: "DELETE", token: owner.accessToken })).status).toBe(202);
  });

  it("the export lists memberships with role", async () => {
    const owner = await signUp(uniqueEmail("exporter"));
    const org = await createOrg(owner, { name: "Exported Org" });
    const res = await call("/api/me/export", { token: owner.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.memberships).toEqual([{ organizationId: org.id, organizationName: "Exported Org", role: "owner", joinedAt: expect.any(String) }]);
  });
});
