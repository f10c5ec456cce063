// Test helpers: calls through SELF.fetch (the real Worker, real bindings) and the dev outbox.
import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import { clock } from "../src/clock";
import { hashPassword } from "../src/auth/password-hash";
import { hashConfig } from "../src/auth/passwords";
import { sha256Hex } from "../src/auth/secrets";

export const ORIGIN = "http://127.0.0.1:8787";
export const STRONG_PASSWORD = "correct horse battery staple 42";

export type CallOptions = {
  method?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  token?: string;
  cookie?: string;
  /** request.cf as Cloudflare would set it (country, city, ...). */
  cf?: Record<string, unknown>;
};

export function buildRequest(path: string, options: CallOptions = {}): Request {
  // A fresh client IP per call unless the test names one, so per-IP limits only bite
  // in the tests that are about them.
  const headers: Record<string, string> = { "cf-connecting-ip": randomIp(), "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", ...options.headers };
  if (options.json !== undefined) headers["content-type"] ??= "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  return new Request(`${ORIGIN}${path}`, {
    method: options.method ?? (options.json !== undefined || options.body !== undefined ? "POST" : "GET"),
    headers,
    body: options.body ?? (options.json !== undefined ? JSON.stringify(options.json) : undefined),
    ...(options.cf ? { cf: options.cf } : {}),
  } as RequestInit);
}

export async function readResponse(res: Response) {
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read any route's answer by path and the assertion states its shape; a type per route here would restate what the assertions check.
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Through the real Worker (SELF.fetch), with real bindings. */
export async function call(path: string, options: CallOptions = {}) {
  return readResponse(await SELF.fetch(buildRequest(path, options)));
}

let counter = 0;
export const uniqueEmail = (prefix = "user") => `${prefix}.${Date.now().toString(36)}.${(counter++).toString(36)}@example.com`;

export type OutboxMessage = { to: string; channel: string; subject: string; text: string; html?: string; createdAt: string };

/** Messages are sent after the response (waitUntil), so poll the dev outbox briefly. */
export async function waitForMessages(to: string, count = 1): Promise<OutboxMessage[]> {
  for (let i = 0; i < 100; i++) {
    const res = await call(`/api/dev/outbox?to=${encodeURIComponent(to)}`);
    if (res.status === 200 && res.body.messages.length >= count) return res.body.messages;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no message for ${to}`);
}

/**
 * Runs `act` and returns the first message to `to` matching `match` that arrived after it
 * (newest first). Counting matches before `act` keeps an earlier message, or a notice still
 * in flight from an earlier step, from being taken for the one `act` sends.
 */
export async function nextMessage<T>(to: string, match: (m: OutboxMessage) => boolean, act: () => Promise<T>): Promise<{ result: T; message: OutboxMessage }> {
  const before = (await outbox(to)).filter(match).length;
  const result = await act();
  const matching = await waitForCount(async () => (await outbox(to)).filter(match), before + 1);
  return { result, message: matching[0]! };
}

export const hasCode = (m: OutboxMessage) => /\b\d{6}\b/.test(m.text);

export async function outbox(to: string): Promise<OutboxMessage[]> {
  return (await call(`/api/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages;
}

export function codeFrom(message: OutboxMessage): string {
  const m = /\b(\d{6})\b/.exec(message.text);
  if (!m) throw new Error(`no code in: ${message.text}`);
  return m[1]!;
}

export function linkTokenFrom(message: OutboxMessage): string {
  const m = /token=([A-Za-z0-9_-]{43})/.exec(message.text);
  if (!m) throw new Error(`no link token in: ${message.text}`);
  return m[1]!;
}

export function refreshCookieFrom(headers: Headers): string {
  const set = headers.getSetCookie().find((c) => c.startsWith("__Host-edge-refresh="));
  if (!set) throw new Error("no refresh cookie");
  return set.split(";")[0]!;
}

/** Starts a registration; returns its registrationToken and the mailed code and link token. */
export async function register(email = uniqueEmail(), password = STRONG_PASSWORD, name = "Test User") {
  const before = (await outbox(email)).length;
  const reg = await call("/api/auth/register", { json: { email, password, name } });
  expect(reg.status).toBe(202);
  const message = (await waitForMessages(email, before + 1))[0]!;
  return { email, registrationToken: reg.body.registrationToken as string, message };
}

/**
 * An unverified account as registration made them before registrations waited for their
 * own code (a legacy row: user + password, email not verified). Returns its id.
 */
export async function legacyUnverifiedUser(email: string, password = STRONG_PASSWORD) {
  const id = crypto.randomUUID();
  const now = clock.now();
  const passwordHash = await hashPassword(password, hashConfig(env));
  await env.DB.batch([
    env.DB.prepare("insert into users (id, email, email_verified_at, name, created_at, updated_at) values (?, ?, null, null, ?, ?)").bind(id, email, now, now),
    env.DB.prepare("insert into password_credentials (user_id, hash, updated_at) values (?, ?, ?)").bind(id, passwordHash, now),
  ]);
  return id;
}

/** Registers, verifies by code, and returns the signed-in session. */
export async function signUp(email = uniqueEmail(), password = STRONG_PASSWORD) {
  const { registrationToken, message } = await register(email, password);
  const verified = await call("/api/auth/verify-email", { json: { registrationToken, code: codeFrom(message) } });
  expect(verified.status).toBe(200);
  return { email, password, accessToken: verified.body.accessToken as string, cookie: refreshCookieFrom(verified.headers), user: verified.body.user };
}

export function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
}

// Unique per call in this isolate (a counter over 10.0.0.0/8 from a random start), so no
// two calls of one test file ever share an IP and trip a per-IP limit by chance.
let ipSeq = Math.floor(Math.random() * 0x1000000);
export const randomIp = () => {
  const n = ipSeq++ & 0xffffff;
  return `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
};

/** Polls `read` until it yields at least `count` items (work done after the response, via waitUntil). */
export async function waitForCount<T>(read: () => Promise<T[]>, count: number): Promise<T[]> {
  for (let i = 0; i < 100; i++) {
    const items = await read();
    if (items.length >= count) return items;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`expected ${count} items, still fewer after 2 s`);
}

/** A well-formed 256-bit token (43 base64url characters) that nothing issued. */
export const randomToken = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(43)), (b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[b & 63]).join("");

/**
 * A code that is CERTAINLY wrong for the live challenge of (purpose, target[, registration]),
 * whoever received it (or nobody): checked against the stored hash. Waits for the challenge,
 * which routes issue after answering (waitUntil).
 */
export async function wrongCodeFor(purpose: string, target: string, registrationToken?: string): Promise<string> {
  const holder = registrationToken ? sha256Hex(registrationToken) : undefined;
  const key = `otp:${purpose}:${sha256Hex(holder ? `${target}\n${holder}` : target)}`;
  for (let i = 0; i < 100; i++) {
    const challenge = await env.KV.get<{ id: string; codeHash: string }>(key, "json");
    if (challenge) return ["000000", "111111"].find((code) => sha256Hex(`${challenge.id}:${code}`) !== challenge.codeHash)!;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no live ${purpose} challenge for ${target}`);
}
