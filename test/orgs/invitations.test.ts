// Invitations: single use (race), resend kills the old link, revoke, expiry, the email
// must match, registration through an invitation (verified + joined in one batch, race),
// the landing-page lookup, and the email itself (queue, en + es, escaped).
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import { sha256Hex } from "../../src/auth/secrets";
import { call, expectProblem, signUp, STRONG_PASSWORD, uniqueEmail, waitForMessages } from "../helpers";
import { claimsOf, createOrg, flip, invite, memberRole, type Person } from "./org-helpers";

vi.setConfig({ testTimeout: 60_000 });

async function orgWithOwner() {
  const owner = await signUp(uniqueEmail("owner"));
  const org = await createOrg(owner, { name: "Edificio Sol" });
  return { owner, orgId: org.id };
}

const accept = (who: Person, token: string) => call("/api/invitations/accept", { token: who.accessToken, json: { token } });
const register = (email: string, token: string, extra: Record<string, unknown> = {}) =>
  call("/api/auth/register", { json: { email, password: STRONG_PASSWORD, invitationToken: token, ...extra } });

describe("invitations: single use, resend, revoke, expiry", () => {
  it("accepting twice in parallel (20 at once) yields exactly one membership", async () => {
    const { owner, orgId } = await orgWithOwner();
    const invitee = await signUp(uniqueEmail("invitee"));
    const { token } = await invite(owner, orgId, invitee.email, "member");
    const results = await Promise.all(Array.from({ length: 20 }, () => accept(invitee, token)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    // The rest: the invitation is used (404) or the membership exists (409) — never a second row.
    expect(statuses.every((s) => s === 200 || s === 404 || s === 409)).toBe(true);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM memberships WHERE org_id = ? AND user_id = ?")
      .bind(orgId, invitee.user.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
    expectProblem(await accept(invitee, token), 404, "not_found");
  });

  it("registering through one invitation 20 times in parallel creates exactly one account and one membership", async () => {
    const { owner, orgId } = await orgWithOwner();
    const email = uniqueEmail("newcomer");
    const { token } = await invite(owner, orgId, email, "member");
    const results = await Promise.all(Array.from({ length: 20 }, () => register(email, token, undefined)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const users = await env.DB.prepare("SELECT id, email_verified_at FROM users WHERE email = ?")
      .bind(email)
      .all<{ id: string; email_verified_at: number | null }>();
    expect(users.results).toHaveLength(1);
    expect(users.results[0]!.email_verified_at).not.toBeNull();
    expect(await memberRole(orgId, users.results[0]!.id)).toBe("member");
  });

  it("registration through an invitation: 201 tokens, verified, joined, the org active; it can sign in with the password", async () => {
    const { owner, orgId } = await orgWithOwner();
    const email = uniqueEmail("resident");
    const { token } = await invite(owner, orgId, email, "member");
    const res = await register(email.toUpperCase(), token, { name: "Ana" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.user).toMatchObject({ email, emailVerified: true, name: "Ana" });
    expect(res.body.organization).toMatchObject({ id: orgId, name: "Edificio Sol" });
    expect(claimsOf(res.body.accessToken).org).toMatchObject({ id: orgId, role: "member", permissions: ["members:read"] });
    expect((await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } })).status).toBe(200);
    // Used: the link is dead for lookups, accepts and registrations alike.
    expectProblem(await call(`/api/invitations/${token}`), 404, "not_found");
    expectProblem(await register(uniqueEmail(), token), 404, "not_found");
  });

  it("registration needs the invited email; an existing account is told to sign in; a weak password is refused; nothing is created", async () => {
    const { owner, orgId } = await orgWithOwner();
    const existing = await signUp(uniqueEmail("existing"));
    const email = uniqueEmail("invited");
    const { token } = await invite(owner, orgId, email, "member");
    const other = uniqueEmail("attacker");
    expectProblem(await register(other, token), 403, "invitation_email_mismatch");
    expectProblem(await call("/api/auth/register", { json: { email, password: "short", invitationToken: token } }), 400, "weak_password");
    const none = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email IN (?, ?)").bind(email, other).first<{ n: number }>();
    expect(none!.n).toBe(0);
    const second = await invite(owner, orgId, existing.email, "member");
    expectProblem(await register(existing.email, second.token), 409, "account_exists");
    // Still usable by its rightful owner afterwards.
    expect((await register(email, token)).status).toBe(201);
  });

  it("accepting needs a signed-in user whose VERIFIED email is the invited one; an unverified holder of the address is released", async () => {
    const { owner, orgId } = await orgWithOwner();
    const invitee = await signUp(uniqueEmail("invitee"));
    const stranger = await signUp(uniqueEmail("stranger"));
    const { token } = await invite(owner, orgId, invitee.email, "member");
    expectProblem(await accept(stranger, token), 403, "invitation_email_mismatch");
    expectProblem(await call("/api/invitations/accept", { json: { token } }), 401, "unauthorized");
    expect(await memberRole(orgId, stranger.user.id)).toBeNull();
    // Someone else's unverified account holding the invited address (a legacy row: nobody
    // proved that mailbox) neither blocks the invitee nor keeps its password: registering
    // through the invitation releases it.
    const squatter = uniqueEmail("squat");
    const inv2 = await invite(owner, orgId, squatter, "member");
    await env.DB.prepare("INSERT INTO users (id, email, created_at, updated_at) VALUES (?, ?, 1, 1)").bind("squatter-legacy-0001", squatter).run();
    await env.DB.prepare("INSERT INTO password_credentials (user_id, hash, updated_at) VALUES (?, 'x', 1)").bind("squatter-legacy-0001").run();
    const joined = await register(squatter, inv2.token);
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(await env.DB.prepare("SELECT id FROM users WHERE id = ?").bind("squatter-legacy-0001").first()).toBeNull();
    expect(joined.body.user.id).not.toBe("squatter-legacy-0001");
    // The rightful invitee joins.
    expect((await accept(invitee, token)).status).toBe(200);
    expectProblem(await accept(invitee, (await invite(owner, orgId, uniqueEmail(), "member")).token), 403, "invitation_email_mismatch");
  });

  it("an already-member is told so, and the invitation stays usable for nothing else", async () => {
    const { owner, orgId } = await orgWithOwner();
    const invitee = await signUp(uniqueEmail("twice"));
    const first = await invite(owner, orgId, invitee.email, "member");
    expect((await accept(invitee, first.token)).status).toBe(200);
    expectProblem(
      await call(`/api/orgs/${orgId}/invitations`, { token: owner.accessToken, json: { email: invitee.email, role: "member" } }),
      409,
      "already_member",
    );
  });

  it("resend: a new link works, the old one is dead at once", async () => {
    const { owner, orgId } = await orgWithOwner();
    const invitee = await signUp(uniqueEmail("resend"));
    const first = await invite(owner, orgId, invitee.email, "member");
    const res = await call(`/api/orgs/${orgId}/invitations/${first.id}/resend`, { method: "POST", token: owner.accessToken });
    expect(res.status).toBe(200);
    const messages = await waitForMessages(invitee.email, 3);
    const newToken = /token=([A-Za-z0-9_-]{43})/.exec(messages[0]!.text)![1]!;
    expect(newToken).not.toBe(first.token);
    expectProblem(await call(`/api/invitations/${first.token}`), 404, "not_found");
    expectProblem(await accept(invitee, first.token), 404, "not_found");
    expect((await accept(invitee, newToken)).status).toBe(200);
    expectProblem(await call(`/api/orgs/${orgId}/invitations/${first.id}/resend`, { method: "POST", token: owner.accessToken }), 404, "not_found");
  });

  it("revoke: the link stops working; revoking twice is 404", async () => {
    const { owner, orgId } = await orgWithOwner();
    const invitee = await signUp(uniqueEmail("revoked"));
    const { id, token } = await invite(owner, orgId, invitee.email, "member");
    expect((await call(`/api/orgs/${orgId}/invitations/${id}`, { method: "DELETE", token: owner.accessToken })).status).toBe(204);
    expectProblem(await call(`/api/invitations/${token}`), 404, "not_found");
    expectProblem(await accept(invitee, token), 404, "not_found");
    expectProblem(await call(`/api/orgs/${orgId}/invitations/${id}`, { method: "DELETE", token: owner.accessToken }), 404, "not_found");
    expect(await memberRole(orgId, invitee.user.id)).toBeNull();
  });

  it("expiry: default 7 days, expiresInDays up to 30; an expired link is 404 everywhere", async () => {
    const { owner, orgId } = await orgWithOwner();
    const invitee = await signUp(uniqueEmail("late"));
    const res = await call(`/api/orgs/${orgId}/invitations`, { token: owner.accessToken, json: { email: invitee.email, role: "member", expiresInDays: 2 } });
    expect(res.status).toBe(201);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(2 * 86400e3 - 60e3);
    const [message] = await waitForMessages(invitee.email, 2);
    const token = /token=([A-Za-z0-9_-]{43})/.exec(message!.text)![1]!;
    clock.advance(2 * 86400e3 + 1000);
    expectProblem(await call(`/api/invitations/${token}`), 404, "not_found");
    const refreshed = await call("/api/auth/refresh", { method: "POST", cookie: invitee.cookie });
    expect(refreshed.status).toBe(200);
    expectProblem(await accept({ ...invitee, accessToken: refreshed.body.accessToken }, token), 404, "not_found");
    clock.reset();
    expect((await call(`/api/invitations/${token}`)).status).toBe(200);
    for (const bad of [0, 31, 1.5, "7", -1]) {
      expectProblem(
        await call(`/api/orgs/${orgId}/invitations`, { token: owner.accessToken, json: { email: uniqueEmail(), role: "member", expiresInDays: bad } }),
        400,
        "validation_failed",
      );
    }
  });

  it("the landing-page lookup: org name, role, masked email, expiry; 404 for unknown or malformed tokens", async () => {
    const { owner, orgId } = await orgWithOwner();
    const email = uniqueEmail("landing");
    const { token } = await invite(owner, orgId, email, "admin");
    const res = await call(`/api/invitations/${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      organization: { name: "Edificio Sol" },
      role: "admin",
      roleName: "Admin",
      email: expect.stringMatching(/^l\*\*\*@example\.com$/),
      expiresAt: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain(email);
    expectProblem(await call(`/api/invitations/${flip(token)}`), 404, "not_found");
    for (const bad of ["x", "a".repeat(44), "%00", "..%2f..%2fadmin"]) expect((await call(`/api/invitations/${bad}`)).status).toBe(404);
    // Only the hash is stored.
    const stored = await env.DB.prepare("SELECT token_hash FROM invitations WHERE org_id = ?").bind(orgId).first<{ token_hash: string }>();
    expect(stored!.token_hash).toBe(sha256Hex(token));
  });

  it("the email goes through the queue, in Spanish when asked, with names escaped", async () => {
    const owner = await signUp(uniqueEmail("owner"));
    const org = await createOrg(owner, { name: "Torre <b>Sur</b> & Co" });
    const email = uniqueEmail("es");
    const { message } = await invite(owner, org.id, email, "member", { locale: "es" });
    expect(message.subject).toBe("Te invitan a unirte a Torre <b>Sur</b> & Co");
    expect(message.text).toContain("como Member");
    expect(message.html).toContain("Torre &#60;b&#62;Sur&#60;/b&#62; &#38; Co");
    expect(message.html).not.toContain("<b>Sur</b>");
    const en = await invite(owner, org.id, uniqueEmail("en"), "member");
    expect(en.message.subject).toBe("You are invited to join Torre <b>Sur</b> & Co");
  });
});
