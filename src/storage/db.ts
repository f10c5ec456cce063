// The drizzle handle over D1, built once per D1 binding. No relational schema is passed:
// every query uses the SQL-like builder, and leaving out drizzle's relational query layer
// keeps it out of the Worker bundle.
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { oncePer } from "../model/memo";

export type Db = DrizzleD1Database;

const handle = oncePer((binding: D1Database): Db => drizzle(binding));

export const db = (env: Env): Db => handle(env.DB);
