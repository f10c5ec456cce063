// Helpers for the abuse-protection tests: requests with request.cf, requests against a
// Worker with different configuration, and reading the audit trail.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import worker from "../src/index";
import { ORIGIN, randomIp } from "./helpers";

export type Req = { method?: string; json?: unknown; headers?: Record<string, string>; token?: string; cookie?: string; cf?: Record<string, unknown> };

function build(path: string, r: Req): Request {
  const headers: Record<string, string> = { "cf-connecting-ip": randomIp(), "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", ...r.headers };
  if (r.json !== undefined) headers["content-type"] ??= "application/json";
  if (r.token) headers.authorization = `Bearer ${r.token}`;
  if (r.cookie) headers.cookie = r.cookie;
  return new Request(`${ORIGIN}${path}`, {
    method: r.method ?? (r.json !== undefined ? "POST" : "GET"),
    headers,
    body: r.json !== undefined ? JSON.stringify(r.json) : undefined,
    ...(r.cf ? { cf: r.cf } : {}),
  } as RequestInit);
}

async function read(res: Response) {
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Through the real Worker (SELF), with an optional request.cf (country, city). */
export async function send(path: string, r: Req = {}) {
  return read(await SELF.fetch(build(path, r)));
}

/**
 * Through the Worker's fetch handler with some vars changed. A fresh env object means a
 * fresh parsed configuration (config() caches per env object).
 */
export async function sendWithEnv(vars: Record<string, string>, path: string, r: Req = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(build(path, r) as Request<unknown, IncomingRequestCfProperties>, { ...env, ...vars } as Env, ctx);
  const out = await read(res);
  await waitOnExecutionContext(ctx);
  return out;
}

export type AuditRow = { id: string; user_id: string | null; type: string; reason: string | null; session_id: string | null; ip: string | null; user_agent: string | null; country: string | null; city: string | null; detail: string | null; created_at: number };

export async function auditRows(userId: string): Promise<AuditRow[]> {
  const { results } = await env.DB.prepare("select * from audit_events where user_id = ? order by created_at, rowid").bind(userId).all<AuditRow>();
  return results;
}

/** Audit writes happen after the response (waitUntil): poll briefly. */
export async function waitForAudit(userId: string, type: string, count = 1): Promise<AuditRow[]> {
  for (let i = 0; i < 100; i++) {
    const rows = (await auditRows(userId)).filter((r) => r.type === type);
    if (rows.length >= count) return rows;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${type} audit event for ${userId}`);
}

export function statusCounts(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

export function expectNoSecrets(row: AuditRow, secrets: string[]) {
  const text = JSON.stringify(row);
  for (const s of secrets) expect(text).not.toContain(s);
}
