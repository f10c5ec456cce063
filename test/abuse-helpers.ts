// Helpers for the abuse-protection tests: requests with request.cf, requests against a
// Worker with different configuration, and reading the audit trail.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import worker from "../src/index";
import { buildRequest, call, type CallOptions, readResponse } from "./helpers";

export type Req = CallOptions;

/** Through the real Worker (SELF), with an optional request.cf (country, city). */
export const send = call;

/**
 * Through the Worker's fetch handler with some vars changed. A fresh env object means a
 * fresh parsed configuration (config() caches per env object).
 */
export async function sendWithEnv(vars: Record<string, string>, path: string, r: Req = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(buildRequest(path, r) as Request<unknown, IncomingRequestCfProperties>, { ...env, ...vars } as Env, ctx);
  const out = await readResponse(res);
  await waitOnExecutionContext(ctx);
  return out;
}

export type AuditRow = {
  id: string;
  user_id: string | null;
  type: string;
  reason: string | null;
  session_id: string | null;
  ip: string | null;
  user_agent: string | null;
  country: string | null;
  city: string | null;
  detail: string | null;
  created_at: number;
};

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
