// The drizzle handle over D1, built once per D1 binding. No relational schema is passed:
// every query uses the SQL-like builder, and leaving out drizzle's relational query layer
// keeps it out of the Worker bundle.
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";

export type Db = DrizzleD1Database;

const cache = new WeakMap<D1Database, Db>();

export function db(env: Env): Db {
  let d = cache.get(env.DB);
  if (!d) cache.set(env.DB, (d = drizzle(env.DB)));
  return d;
}
