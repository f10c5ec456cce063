// Builds the OpenAPI 3.1 document from the mounted routes of the app (`buildApp().routes`):
// the doc placed before each route (src/http/openapi.ts) gives what the route does, the
// mount gives its method and full path. Runs at build time (scripts/build-openapi.mjs)
// and in tests, never in the Worker.
import * as z from "zod/mini";
import { type PlacedMark, placedMarks, type RouteDoc, type RouteMark } from "./openapi";

const jsonSchema = (schema: z.ZodMiniType) => z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });

/** What Hono records for every handler it registers (`app.routes`). */
type Registered = { method: string; path: string; handler: unknown };
type App = { routes: readonly Registered[] };
/** One endpoint: a method and a full path, and the mark that documents it (none if forgotten). */
export type Operation = { method: string; path: string; mark?: RouteMark };

// A sub-app with its own onError is mounted through wrappers that keep the original.
const unwrap = (handler: unknown): unknown => {
  const inner = (handler as { __COMPOSED_HANDLER?: unknown }).__COMPOSED_HANDLER;
  return inner === undefined ? handler : unwrap(inner);
};
/** A mark in an error message: its summary or its reason. */
export const markLabel = ({ mark }: PlacedMark) =>
  "doc" in mark ? `describeRoute "${mark.doc.summary.slice(0, 60)}"` : `undocumented("${mark.undocumented}")`;

/**
 * The endpoints of `app`, one per (method, full path) in mounting order, each with the
 * mark placed before it. Handlers registered with `use()` (method ALL) are middleware,
 * not endpoints (Hono records `.all()` the same way, so endpoints are declared with
 * their methods). A mark is found through the route it stands before: that route's own
 * handler (the last of its chain) is the same function wherever the sub-app is mounted.
 * Errors: a mark before middleware or before nothing, two marks on one endpoint. Marks
 * of sub-apps that `app` does not mount are returned as `unmounted`.
 */
export function mountedOperations(app: App, marks: readonly PlacedMark[] = placedMarks()): { operations: Operation[]; unmounted: PlacedMark[] } {
  const operations = new Map<string, Operation>();
  const byHandler = new Map<unknown, Operation[]>();
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const key = `${r.method} ${r.path}`;
    const op = operations.get(key) ?? { method: r.method, path: r.path };
    operations.set(key, op);
    const ops = byHandler.get(unwrap(r.handler)) ?? [];
    if (!ops.includes(op)) byHandler.set(unwrap(r.handler), [...ops, op]);
  }
  const unmounted: PlacedMark[] = [];
  for (const placed of marks) {
    const table = placed.app.routes as readonly Registered[];
    const first = table[placed.at];
    if (!first) throw new Error(`${markLabel(placed)}: no route follows it on its sub-app`);
    if (first.method === "ALL") throw new Error(`${markLabel(placed)}: stands before middleware (use/all), which documents nothing; put it before the route`);
    let last = placed.at;
    while (table[last + 1]?.method === first.method && table[last + 1]?.path === first.path) last++;
    // The route's full path ends with its path on the sub-app (the mount adds a prefix).
    const targets = (byHandler.get(unwrap(table[last]!.handler)) ?? []).filter(
      (op) => op.method === first.method && op.path.endsWith(first.path.replace(/\/$/, "")),
    );
    if (!targets.length) unmounted.push(placed);
    for (const op of targets) {
      if (op.mark) throw new Error(`${op.method} ${op.path}: marked twice (${markLabel(placed)}); one describeRoute or undocumented per route`);
      op.mark = placed.mark;
    }
  }
  return { operations: [...operations.values()], unmounted };
}

/** Hono's `:name` and `:name{regex}` path parameters. */
const PARAM = /:(\w+)(?:\{(?:[^{}]|\{[^{}]*\})*\})?/g;
/** A Hono path in OpenAPI's syntax: `/orgs/:orgId{[a-z]+}` -> `/orgs/{orgId}`. */
export const openApiPath = (honoPath: string) => honoPath.replace(PARAM, "{$1}");

const problem = {
  description: "Problem details (RFC 9457)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};

export function openApiDocument(operations: readonly Operation[], title: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path: honoPath, mark } of operations) {
    if (!mark || !("doc" in mark)) continue;
    const r: RouteDoc = mark.doc;
    const path = openApiPath(honoPath);
    const params = [...honoPath.matchAll(PARAM)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const query = r.query
      ? Object.entries(r.query.def.shape).map(([name, s]) => ({
          name,
          in: "query",
          required: !(s as z.ZodMiniType)._zod.optin,
          schema: jsonSchema(s as z.ZodMiniType),
        }))
      : [];
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      const s = typeof spec === "string" ? { description: spec } : spec;
      responses[status] = s.schema
        ? { description: s.description, content: { "application/json": { schema: jsonSchema(s.schema) } } }
        : { description: s.description };
    }
    responses["4XX"] = problem;
    const pathItem = paths[path] ?? {};
    paths[path] = pathItem;
    pathItem[method.toLowerCase()] = {
      summary: r.summary,
      tags: r.tags,
      ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } } : {}),
      ...(r.form ? { requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: jsonSchema(r.form) } } } } : {}),
      ...(r.auth === "bearer" ? { security: [{ bearer: [] }] } : r.auth === "refresh-cookie" ? { security: [{ refreshCookie: [] }, {}] } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: `${title} API`, version: "1.0.0", description: "Authentication API. Errors are RFC 9457 problem+json with a stable `code`." },
    // Relative: the document is served by the service it describes, wherever it runs.
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        refreshCookie: { type: "apiKey", in: "cookie", name: "__Host-edge-refresh" },
      },
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "code"],
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            code: { type: "string" },
            errors: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
          },
        },
      },
    },
  };
}
