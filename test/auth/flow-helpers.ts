// Helpers for the sign-in flow tests (src/auth/*-sign-in.ts and friends): the flows are
// called directly with the real bindings, no HTTP, so each refusal reason is asserted
// as the flow returns it.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { FirstFactorResult, SignInContext } from "../../src/auth/sign-in";
import { randomToken } from "../../src/auth/secrets";
import { createPhoneAccount } from "../../src/storage/phones";
import { createVerifiedUser } from "../../src/storage/users";
import { uniqueEmail } from "../helpers";

/** A flow's request side; `settle()` waits for the work it deferred (what waitUntil would run). */
export function flowContext(): SignInContext & { settle: () => Promise<unknown[]> } {
  const deferred: Promise<unknown>[] = [];
  return {
    device: { userAgent: "flow-test", device: "Firefox on Linux", ip: "203.0.113.7", country: "ES" },
    binding: randomToken(),
    defer: (work) => deferred.push(work),
    settle: () => Promise.all(deferred),
  };
}

/** A verified email account (a password hash that matches nothing). */
export async function emailUser(email = uniqueEmail("flow")) {
  const user = await createVerifiedUser(env, { id: crypto.randomUUID(), email, name: null, passwordHash: "not-a-hash" });
  if (!user) throw new Error("email taken");
  return user;
}

/** A verified phone + email account, as phone sign-up makes them. */
export async function phoneUser(phone: string) {
  const user = await createPhoneAccount(env, { id: crypto.randomUUID(), phone, email: uniqueEmail("flow-phone"), passwordHash: null });
  if (!user) throw new Error("phone taken");
  return user;
}

/** A first factor that ended in a session (not a second-step challenge). */
export function expectSession(result: { ok: boolean }): asserts result is Extract<FirstFactorResult, { session: unknown }> {
  expect(result.ok).toBe(true);
  expect(result).toHaveProperty("session.sessionId", expect.any(String));
}
