// The organization rules of the rate-limit policy, burst-tested through their routes:
// 4x the budget in parallel admits exactly the budget. (test/guard/rate-limit.test.ts
// also checks every rule of the table at the Limiter object.)
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_POLICY } from "../../src/guard/rate-limit";
import { sendWithEnv } from "../abuse-helpers";
import { call, randomIp, signUp, uniqueEmail } from "../helpers";
import { createOrg, makePlatformAdmin } from "./org-helpers";

vi.setConfig({ testTimeout: 90_000 });

const admitted = (statuses: number[]) => statuses.filter((s) => s !== 429).length;
const burst = async (n: number, request: (i: number) => Promise<{ status: number }>) =>
  (await Promise.all(Array.from({ length: n }, (_, i) => request(i)))).map((r) => r.status);

describe("organization limits (burst of 4x the budget)", () => {
  it("org.create: 10 per user per hour", async () => {
    const rule = DEFAULT_POLICY["org.create"][0]!;
    const user = await signUp(uniqueEmail("creator"));
    const statuses = await burst(rule.limit * 4, (i) => call("/api/orgs", { token: user.accessToken, json: { name: `Burst ${i}` } }));
    expect(admitted(statuses)).toBe(rule.limit);
    expect(statuses.filter((s) => s === 201)).toHaveLength(rule.limit);
    expect((await call("/api/orgs", { token: user.accessToken })).body.organizations).toHaveLength(rule.limit);
  });

  it("org.invite: 20 per inviter per minute", async () => {
    const rule = DEFAULT_POLICY["org.invite"].find((r) => r.by === "account")!;
    const owner = await signUp(uniqueEmail("inviter"));
    const org = await createOrg(owner);
    const statuses = await burst(rule.limit * 4, () =>
      call(`/api/orgs/${org.id}/invitations`, { token: owner.accessToken, json: { email: uniqueEmail("burst"), role: "member" } }),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(rule.limit);
    expect((await call(`/api/orgs/${org.id}/invitations`, { token: owner.accessToken })).body.invitations).toHaveLength(rule.limit);
  });

  it("org.invite per organization per day (the mail an organization can make us send), with a smaller budget set through RATE_LIMITS", async () => {
    const owner = await signUp(uniqueEmail("inviter"));
    const org = await createOrg(owner);
    const vars = { RATE_LIMITS: JSON.stringify({ "org.invite": [{ by: "target", limit: 5, windowSeconds: 86400 }] }) };
    const statuses = await burst(20, () =>
      sendWithEnv(vars, `/api/orgs/${org.id}/invitations`, { token: owner.accessToken, json: { email: uniqueEmail("daily"), role: "member" } }),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
  });

  it("invitation.lookup: 20 guesses per IP per minute", async () => {
    const rule = DEFAULT_POLICY["invitation.lookup"][0]!;
    const ip = randomIp();
    const statuses = await burst(rule.limit * 4, () => call(`/api/invitations/${"A".repeat(43)}`, { headers: { "cf-connecting-ip": ip } }));
    expect(admitted(statuses)).toBe(rule.limit);
    expect(statuses.filter((s) => s === 404)).toHaveLength(rule.limit);
  });

  it("invitation.accept: 10 per IP per minute (accepts and registrations through an invitation share it)", async () => {
    const rule = DEFAULT_POLICY["invitation.accept"][0]!;
    const user = await signUp(uniqueEmail("guesser"));
    const ip = randomIp();
    const statuses = await burst(rule.limit * 4, (i) =>
      i % 2
        ? call("/api/invitations/accept", { token: user.accessToken, json: { token: "B".repeat(43) }, headers: { "cf-connecting-ip": ip } })
        : call("/api/auth/register", {
            json: { email: uniqueEmail(), password: "correct horse battery staple 42", invitationToken: "C".repeat(43) },
            headers: { "cf-connecting-ip": ip },
          }),
    );
    expect(admitted(statuses)).toBe(rule.limit);
  });

  it("admin.api: 60 requests per admin per minute", async () => {
    const rule = DEFAULT_POLICY["admin.api"][0]!;
    const admin = await signUp(uniqueEmail("busy-admin"));
    await makePlatformAdmin(admin.user.id);
    const statuses = await burst(rule.limit * 4, () => call(`/api/admin/users/${admin.user.id}`, { token: admin.accessToken }));
    expect(admitted(statuses)).toBe(rule.limit);
  });
});
