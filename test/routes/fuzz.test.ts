// Every documented operation (the OpenAPI document the Worker serves) against seeded,
// schema-aware odd and hostile input: wrong types, missing and extra fields, huge and
// control-character strings, non-object bodies, broken JSON, junk path parameters, with
// and without a token. The answer is never a 5xx, and every error is problem+json.
// Rate limits are lifted (RATE_LIMITS) so the inputs get past them into the domain code,
// and the caller is a platform admin who owns an organization, so guarded routes are
// reached too. The generator is seeded: a failure names the seed and the request, and
// the same run reproduces it.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/guard/rate-limit";
import worker from "../../src/index";
import { buildRequest, call, type CallOptions, readResponse, signUp, STRONG_PASSWORD, uniqueEmail } from "../helpers";

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
};
type Operation = { method: string; path: string; body?: Schema; query: { name: string; schema: Schema }[] };
type Caller = { token: string; userId: string; orgId: string };

const SEED = 0x5eed_2026;
const VARIANTS_PER_OPERATION = 24;

// Every action allowed 100000 times a second: the fuzzer tests input handling, not limits.
const unlimited = JSON.stringify(Object.fromEntries(Object.keys(DEFAULT_POLICY).map((a) => [a, [{ by: "ip", limit: 100000, windowSeconds: 1 }]])));
const fuzzEnv = { ...env, RATE_LIMITS: unlimited } as Env;

async function send(path: string, options: CallOptions) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(buildRequest(path, options) as Request<unknown, IncomingRequestCfProperties>, fuzzEnv, ctx);
  const out = await readResponse(res);
  await waitOnExecutionContext(ctx);
  return out;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const deep = (n: number): unknown => (n === 0 ? "bottom" : { a: deep(n - 1) });
// Values no schema in this API accepts in that place, or accepts only at its edges.
const HOSTILE: readonly unknown[] = [
  null,
  0,
  -1,
  1e308,
  -0.5,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  "",
  " ",
  "x".repeat(70_000),
  "\u0000\u0001\u001f",
  "\u202e\u200b\ufeff",
  "\ud800",
  "💥".repeat(300),
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "../../etc/passwd",
  "%00%2e%2e",
  "__proto__",
  "constructor",
  [],
  [1, "two", null],
  {},
  { __proto__: { admin: true } },
  deep(200),
];
const JUNK_IDS: readonly string[] = ["x", "0", "%2F..%2F", "A".repeat(400), "💥", "null", "__proto__", "%00", "a%20b", "-1"];

/** A value the schema would accept, guessed from the field name where a format matters. */
function validValue(schema: Schema, name: string, rng: Rng, depth = 0): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return rng.pick(schema.enum);
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt) return validValue(rng.pick(alt.filter((s) => s.type !== "null").length ? alt.filter((s) => s.type !== "null") : alt), name, rng, depth);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {}))
        if (schema.required?.includes(k) || rng.chance(0.6)) out[k] = validValue(s, k, rng, depth + 1);
      return out;
    }
    case "array":
      return depth > 3 || !schema.items ? [] : [validValue(schema.items, name, rng, depth + 1)];
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return rng.chance(0.5);
    case "null":
      return null;
    default:
      return validString(schema, name, rng);
  }
}

function validString(schema: Schema, name: string, rng: Rng): string {
  const n = name.toLowerCase();
  if (n.includes("email")) return uniqueEmail("fuzz");
  if (n.includes("password")) return STRONG_PASSWORD;
  if (n === "phone" || n.includes("phonenumber")) return "+14155550123";
  if (n === "code") return "123456";
  if (n.includes("username")) return `fuzz_${Math.floor(rng.next() * 1e9)}`;
  if (n === "slug") return `fuzz-${Math.floor(rng.next() * 1e9)}`;
  if (n.includes("locale")) return "en";
  if (n.includes("timezone")) return "Europe/Madrid";
  if (n.includes("token") || n === "state") return "A".repeat(43);
  if (n.includes("url") || n === "returnto") return "/dashboard";
  const min = schema.minLength ?? 1;
  return "fuzz".repeat(Math.ceil(min / 4)).slice(0, Math.max(min, Math.min(schema.maxLength ?? 8, 8)));
}

/** One field of a valid body replaced, removed, or joined by an unexpected one. */
function mutateBody(schema: Schema | undefined, rng: Rng): unknown {
  const base = schema ? validValue(schema, "body", rng) : {};
  if (typeof base !== "object" || base === null || Array.isArray(base)) return rng.pick(HOSTILE);
  const body = base as Record<string, unknown>;
  const keys = Object.keys(schema?.properties ?? {});
  const roll = rng.next();
  if (keys.length && roll < 0.7) body[rng.pick(keys)] = rng.pick(HOSTILE);
  else if (keys.length && roll < 0.85) delete body[rng.pick(keys)];
  else body[rng.pick(["extra", "__proto__", "constructor", "isPlatformAdmin", "userId", "role"])] = rng.pick(HOSTILE);
  return body;
}

function pathFor(op: Operation, caller: Caller, rng: Rng): string {
  return op.path.replace(/\{(\w+)\}/g, (_, param: string) => {
    if (rng.chance(0.4)) return encodeURIComponent(rng.pick(JUNK_IDS));
    if (param === "orgId") return caller.orgId;
    if (param === "provider") return rng.pick(["google", "github", "apple", "oidc"]);
    if (param === "key") return rng.pick(["owner", "admin", "member"]);
    if (param === "id" && op.path.startsWith("/api/admin/users")) return caller.userId;
    return encodeURIComponent(rng.pick(JUNK_IDS));
  });
}

function request(op: Operation, caller: Caller, rng: Rng, variant: number): { path: string; options: CallOptions; what: string } {
  let path = pathFor(op, caller, rng);
  if (op.query.length || rng.chance(0.3)) {
    const q = new URLSearchParams();
    for (const p of op.query)
      if (rng.chance(0.7)) q.set(p.name, rng.chance(0.5) ? String(validValue(p.schema, p.name, rng)) : String(rng.pick(HOSTILE)).slice(0, 5000));
    if (rng.chance(0.2)) q.append("cursor", rng.pick(JUNK_IDS));
    if (q.size) path += `?${q}`;
  }
  const options: CallOptions = { method: op.method.toUpperCase() };
  if (variant % 6 !== 0) options.token = caller.token;
  else if (rng.chance(0.5)) options.token = rng.pick(["x", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", ""]);
  if (op.method !== "get" && op.method !== "delete") {
    const kind = rng.next();
    if (kind < 0.75) options.json = variant < 2 && op.body ? validValue(op.body, "body", rng) : mutateBody(op.body, rng);
    else if (kind < 0.85) options.body = rng.pick(["{", '{"a":', "[]]", "\u0000", '{"email":"a@b.c",}', "null"]);
    else if (kind < 0.95) options.json = rng.pick(HOSTILE);
    else {
      options.body = JSON.stringify(op.body ? validValue(op.body, "body", rng) : {});
      options.headers = {
        "content-type": rng.pick(["text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "multipart/form-data"]),
      };
    }
  }
  const shown = options.json !== undefined ? JSON.stringify(options.json)?.slice(0, 300) : String(options.body ?? "").slice(0, 300);
  return { path, options, what: `${op.method.toUpperCase()} ${path.slice(0, 300)} token=${options.token ? "yes" : "no"} body=${shown}` };
}

type DocOperation = {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  parameters?: { in: string; name: string; schema: Schema }[];
};

function operationsOf(doc: { paths: Record<string, Record<string, DocOperation>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method,
      path,
      body: op.requestBody?.content?.["application/json"]?.schema,
      query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => ({ name: p.name, schema: p.schema })),
    })),
  );
}

/** A fresh platform admin who owns one organization: every guarded route can be reached. */
async function newCaller(): Promise<Caller> {
  const { accessToken, user } = await signUp();
  await env.DB.prepare("update users set is_platform_admin = 1 where id = ?").bind(user.id).run();
  const org = await call("/api/orgs", { json: { name: "Fuzz Org" }, token: accessToken });
  expect(org.status).toBe(201);
  return { token: accessToken, userId: user.id, orgId: org.body.id ?? org.body.organization?.id };
}

describe("fuzzing every documented operation", () => {
  let operations: Operation[] = [];
  beforeAll(async () => {
    const doc = await call("/api/openapi.json");
    expect(doc.status).toBe(200);
    operations = operationsOf(doc.body);
  });

  it("documents enough operations to be worth fuzzing", () => {
    expect(operations.length).toBeGreaterThanOrEqual(90);
  });

  it("never answers 5xx, and every error is problem+json", { timeout: 600_000 }, async () => {
    const rng = prng(SEED);
    const failures: string[] = [];
    let sent = 0;
    for (const op of operations) {
      // Each operation gets its own caller: a deleted account or org must not hide later routes.
      const caller = await newCaller();
      for (let v = 0; v < VARIANTS_PER_OPERATION; v++) {
        const { path, options, what } = request(op, caller, rng, v);
        const res = await send(path, options);
        sent++;
        const type = res.headers.get("content-type") ?? "";
        if (res.status >= 500) failures.push(`${res.status} ${what}\n  -> ${res.text.slice(0, 300)}`);
        else if (res.status >= 400 && !type.startsWith("application/problem+json")) failures.push(`${res.status} not problem+json (${type}) ${what}`);
      }
    }
    expect(failures, `seed ${SEED}, ${sent} requests`).toEqual([]);
    expect(sent).toBe(operations.length * VARIANTS_PER_OPERATION);
  });
});
