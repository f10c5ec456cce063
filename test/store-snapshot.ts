// Snapshots of everything D1 and KV hold, so a test can assert that a refused request
// changed nothing. Durable Object state (rate-limit counters) is deliberately not
// included: counting a refused request is expected.
import { env } from "cloudflare:test";
import { expect } from "vitest";

const TABLES = ["users", "password_credentials", "password_history", "identities", "audit_events", "email_changes"] as const;

export type StoreSnapshot = { d1: Record<string, unknown[]>; kv: Record<string, string | null> };

export async function snapshotStores(): Promise<StoreSnapshot> {
  const d1: Record<string, unknown[]> = {};
  for (const table of TABLES) d1[table] = (await env.DB.prepare(`select * from ${table} order by rowid`).all()).results;
  const kv: Record<string, string | null> = {};
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await env.KV.list(cursor ? { cursor } : {});
    for (const key of page.keys) kv[key.name] = await env.KV.get(key.name);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return { d1, kv };
}

/** Runs `fn` and asserts D1 and KV are exactly as before it. */
export async function expectNoStoreChange<T>(fn: () => Promise<T>): Promise<T> {
  const before = await snapshotStores();
  const result = await fn();
  expect(await snapshotStores()).toEqual(before);
  return result;
}
