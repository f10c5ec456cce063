// The permission matrix: every organization route x (owner, admin, member, non-member,
// another organization's owner, signed out) -> allowed, 403 (a member lacking the
// permission: they know the organization exists), 404 (anyone who is not a member: the
// same answer as an unknown id, so organizations cannot be probed), 401 (signed out).
// Refused calls change nothing: each destructive route gets a fresh target per call.
import { describe, expect, it, vi } from "vitest";
import { call, signUp, uniqueEmail } from "../helpers";
import { createOrg, invite, memberWithRole, type Person } from "./org-helpers";

vi.setConfig({ testTimeout: 60_000 });

type Actor = "owner" | "admin" | "member" | "nonMember" | "otherOwner" | "signedOut";
type World = { orgId: string; owner: Person; admin: Person; member: Person };
type Route = {
  name: string;
  method: string;
  /** Builds the path (and a body) for one call, creating a fresh target if the call may destroy it. */
  prepare: (w: World) => Promise<{ path: string; json?: unknown }>;
  allowed: Actor[];
};

const ALL_MEMBERS: Actor[] = ["owner", "admin", "member"];
const MANAGERS: Actor[] = ["owner", "admin"];
const freshEmail = () => uniqueEmail("target");

async function freshMember(w: World) {
  return (await memberWithRole(w.owner, w.orgId, "member")).user.id as string;
}
async function freshRole(w: World) {
  const key = `tmp-${crypto.randomUUID().slice(0, 8)}`;
  const res = await call(`/api/orgs/${w.orgId}/roles`, { token: w.owner.accessToken, json: { key, name: "Temp", permissions: ["members:read"] } });
  expect(res.status).toBe(201);
  return key;
}
async function freshInvitation(w: World) {
  return (await invite(w.owner, w.orgId, freshEmail(), "member")).id;
}

const ROUTES: Route[] = [
  { name: "GET org", method: "GET", prepare: async (w) => ({ path: `/api/orgs/${w.orgId}` }), allowed: ALL_MEMBERS },
  { name: "PATCH org", method: "PATCH", prepare: async (w) => ({ path: `/api/orgs/${w.orgId}`, json: { name: "Renamed" } }), allowed: MANAGERS },
  { name: "DELETE org", method: "DELETE", prepare: async (w) => ({ path: `/api/orgs/${w.orgId}` }), allowed: ["owner"] },
  { name: "GET members", method: "GET", prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/members` }), allowed: ALL_MEMBERS },
  {
    name: "PATCH member",
    method: "PATCH",
    prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/members/${await freshMember(w)}`, json: { role: "admin" } }),
    allowed: MANAGERS,
  },
  { name: "DELETE member", method: "DELETE", prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/members/${await freshMember(w)}` }), allowed: MANAGERS },
  { name: "GET roles", method: "GET", prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/roles` }), allowed: MANAGERS },
  {
    name: "POST role",
    method: "POST",
    prepare: async (w) => ({
      path: `/api/orgs/${w.orgId}/roles`,
      json: { key: `r-${crypto.randomUUID().slice(0, 8)}`, name: "Viewer", permissions: ["members:read"] },
    }),
    allowed: MANAGERS,
  },
  {
    name: "PATCH role",
    method: "PATCH",
    prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/roles/${await freshRole(w)}`, json: { name: "Renamed" } }),
    allowed: MANAGERS,
  },
  { name: "DELETE role", method: "DELETE", prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/roles/${await freshRole(w)}` }), allowed: MANAGERS },
  {
    name: "POST invitation",
    method: "POST",
    prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/invitations`, json: { email: freshEmail(), role: "member" } }),
    allowed: MANAGERS,
  },
  { name: "GET invitations", method: "GET", prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/invitations` }), allowed: MANAGERS },
  {
    name: "DELETE invitation",
    method: "DELETE",
    prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/invitations/${await freshInvitation(w)}` }),
    allowed: MANAGERS,
  },
  {
    name: "POST invitation resend",
    method: "POST",
    prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/invitations/${await freshInvitation(w)}/resend` }),
    allowed: MANAGERS,
  },
  { name: "GET activity", method: "GET", prepare: async (w) => ({ path: `/api/orgs/${w.orgId}/activity` }), allowed: ALL_MEMBERS },
];

// Denials first, the owner last: a DELETE that succeeds leaves nothing for the others.
const ACTORS: Actor[] = ["signedOut", "nonMember", "otherOwner", "member", "admin", "owner"];

let outsiders: Promise<{ nonMember: Person; otherOwner: Person }> | undefined;
function getOutsiders() {
  outsiders ??= (async () => {
    const [nonMember, otherOwner] = await Promise.all([signUp(uniqueEmail("outsider")), signUp(uniqueEmail("other-owner"))]);
    await createOrg(otherOwner);
    return { nonMember, otherOwner };
  })();
  return outsiders;
}

async function newWorld(): Promise<World> {
  const owner = await signUp(uniqueEmail("owner"));
  const org = await createOrg(owner);
  const [admin, member] = await Promise.all([memberWithRole(owner, org.id, "admin"), memberWithRole(owner, org.id, "member")]);
  return { orgId: org.id, owner, admin, member };
}

function expected(route: Route, actor: Actor): number | "ok" {
  if (actor === "signedOut") return 401;
  if (actor === "nonMember" || actor === "otherOwner") return 404;
  return route.allowed.includes(actor) ? "ok" : 403;
}

describe("permission matrix: every org route x every kind of caller", () => {
  for (const route of ROUTES) {
    it(route.name, async () => {
      const [w, { nonMember, otherOwner }] = await Promise.all([newWorld(), getOutsiders()]);
      const tokens: Record<Actor, string | undefined> = {
        owner: w.owner.accessToken,
        admin: w.admin.accessToken,
        member: w.member.accessToken,
        nonMember: nonMember.accessToken,
        otherOwner: otherOwner.accessToken,
        signedOut: undefined,
      };
      const seen: string[] = [];
      for (const actor of ACTORS) {
        const { path, json } = await route.prepare(w);
        const res = await call(path, { method: route.method, token: tokens[actor], ...(json !== undefined ? { json } : {}) });
        const want = expected(route, actor);
        seen.push(`${actor}:${res.status}`);
        if (want === "ok") expect(res.status, `${actor} ${JSON.stringify(res.body)}`).toBeLessThan(300);
        else {
          expect(res.status, `${actor} ${JSON.stringify(res.body)}`).toBe(want);
          expect(res.body.code).toBe(want === 401 ? "unauthorized" : want === 403 ? "forbidden" : "not_found");
        }
      }
      // A 404 for a stranger is byte-for-byte what an unknown organization id gets.
      const unknown = await call(`/api/orgs/${"x".repeat(22)}${route.name.includes("members") || route.name.includes("member") ? "/members" : ""}`, {
        token: nonMember.accessToken,
      });
      expect(unknown.status).toBe(404);
      expect(seen).toHaveLength(ACTORS.length);
    });
  }

  it("a stranger's 404 is identical for a real organization and a made-up id", async () => {
    const [w, { nonMember }] = await Promise.all([newWorld(), getOutsiders()]);
    const real = await call(`/api/orgs/${w.orgId}/members`, { token: nonMember.accessToken });
    const fake = await call(`/api/orgs/${"Z".repeat(22)}/members`, { token: nonMember.accessToken });
    expect(real.status).toBe(404);
    expect(real.body).toEqual(fake.body);
  });

  it("GET /api/orgs lists only the caller's organizations, with their role", async () => {
    const w = await newWorld();
    const { otherOwner } = await getOutsiders();
    const mine = await call("/api/orgs", { token: w.member.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.body.organizations).toEqual([expect.objectContaining({ id: w.orgId, role: "member", permissions: ["members:read"] })]);
    const theirs = await call("/api/orgs", { token: otherOwner.accessToken });
    expect(theirs.body.organizations.map((o: { id: string }) => o.id)).not.toContain(w.orgId);
    expect((await call("/api/orgs")).status).toBe(401);
    expect((await call("/api/orgs", { method: "POST", json: { name: "x" } })).status).toBe(401);
  });
});
