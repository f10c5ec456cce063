// The drizzle handle over D1, built once per env object.
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = DrizzleD1Database<typeof schema>;

const cache = new WeakMap<D1Database, Db>();

export function db(env: Env): Db {
  let d = cache.get(env.DB);
  if (!d) cache.set(env.DB, (d = drizzle(env.DB, { schema })));
  return d;
}
