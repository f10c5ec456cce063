// Helpers for the organization tests: signed-up users, organizations with members in
// given roles, invitations and their link tokens (read from the dev outbox).
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { call, linkTokenFrom, signUp, uniqueEmail, waitForMessages } from "../helpers";
import type { AccessTokenClaims } from "../../src/verifier/contract";

export type Person = Awaited<ReturnType<typeof signUp>>;

export async function createOrg(owner: Person, body: Record<string, unknown> = {}) {
  const res = await call("/api/orgs", { token: owner.accessToken, json: { name: `Org ${crypto.randomUUID().slice(0, 8)}`, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string; name: string };
}

/** Invites `email` with `role`, returns the link token from the email. */
export async function invite(inviter: Person, orgId: string, email: string, role: string, extra: Record<string, unknown> = {}) {
  const before = (await call(`/api/dev/outbox?to=${encodeURIComponent(email)}`)).body.messages.length as number;
  const res = await call(`/api/orgs/${orgId}/invitations`, { token: inviter.accessToken, json: { email, role, ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const messages = await waitForMessages(email, before + 1);
  return { id: res.body.id as string, token: linkTokenFrom(messages[0]!), message: messages[0]! };
}

/** A new signed-up user who is a member of `orgId` with `role` (through a real invitation). */
export async function memberWithRole(owner: Person, orgId: string, role: string): Promise<Person> {
  const person = await signUp(uniqueEmail(role));
  const { token } = await invite(owner, orgId, person.email, role);
  const accepted = await call("/api/invitations/accept", { token: person.accessToken, json: { token } });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return person;
}

export async function makePlatformAdmin(userId: string): Promise<void> {
  await env.DB.prepare("UPDATE users SET is_platform_admin = 1 WHERE id = ?").bind(userId).run();
}

export async function memberRole(orgId: string, userId: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT role_key FROM memberships WHERE org_id = ? AND user_id = ?").bind(orgId, userId).first<{ role_key: string }>();
  return row?.role_key ?? null;
}

/** The claims of an access token the service issued (read, not verified). */
export function claimsOf(token: string): AccessTokenClaims {
  return JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
}

/** Flips one character of a token: certainly a different, equally well-formed token. */
export function flip(token: string): string {
  const last = token.at(-2)!;
  return `${token.slice(0, -2)}${last === "A" ? "B" : "A"}${token.at(-1)}`;
}
