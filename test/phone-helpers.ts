// Helpers for the phone tests: unique valid mobile numbers, requests that carry
// request.cf.country, and a user with a verified phone.
import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { clock } from "../src/clock";
import { call, codeFrom, randomIp, signUp, waitForMessages, type OutboxMessage } from "./helpers";

let n = 0;
/** A valid Spanish mobile number (6xx xxx xxx), unique within the run. */
export function uniquePhone(): string {
  const digits = (Date.now() % 1_000_000).toString().padStart(6, "0") + (n++ % 100).toString().padStart(2, "0");
  return `+346${digits}`;
}

/** Like `call`, but with request.cf.country set (the default region for national numbers). */
export async function callFrom(country: string, path: string, json: unknown, headers: Record<string, string> = {}) {
  const res = await SELF.fetch(`http://127.0.0.1:8787${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": randomIp(), ...headers },
    body: JSON.stringify(json),
    cf: { country },
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export async function latestMessage(to: string, count = 1): Promise<OutboxMessage> {
  const messages = await waitForMessages(to, count);
  return messages[0]!;
}

/** Signs up by email, then adds and verifies a phone through /api/me/phone. */
export async function userWithPhone(phone = uniquePhone()) {
  const account = await signUp();
  const add = await call("/api/me/phone", { json: { phone }, token: account.accessToken });
  expect(add.status).toBe(202);
  const code = codeFrom(await latestMessage(phone));
  const verified = await call("/api/me/phone/verify", { json: { phone, code }, token: account.accessToken });
  expect(verified.status).toBe(200);
  // Past the 60 s resend cooldown of that phone, so the test can send it a code at once.
  clock.advance(61_000);
  return { ...account, phone };
}
