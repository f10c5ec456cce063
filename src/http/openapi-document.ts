// Builds the OpenAPI 3.1 document from the mounted routes of the app (`buildApp().routes`):
// each route's doc middleware (src/http/openapi.ts) gives what the route does, the mount
// gives its method and path. Runs at build time (scripts/build-openapi.mjs) and in tests,
// never in the Worker.
import * as z from "zod/mini";
import { type RouteDoc, type RouteMark, routeMark } from "./openapi";

const jsonSchema = (schema: z.ZodMiniType) => z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });

/** What Hono records for every handler it mounts (`app.routes`). */
type MountedHandler = { method: string; path: string; handler: unknown };
/** One endpoint: a method and a full path, and the mark its handlers carry (none if forgotten). */
export type Operation = { method: string; path: string; mark?: RouteMark };

/**
 * The endpoints of an app, one per (method, path), in mounting order. Handlers mounted
 * with `use()` (method ALL) are middleware, not endpoints: a doc there documents nothing,
 * so it is an error, like two marks on one endpoint. Hono records `.all()` like `use()`,
 * so an endpoint is declared with its methods (`.get`, `.post`, … or `.on([...])`).
 */
export function mountedOperations(routes: readonly MountedHandler[]): Operation[] {
  const operations = new Map<string, Operation>();
  for (const r of routes) {
    // A sub-app with its own onError is mounted through a wrapper that keeps the original.
    const handler = (r.handler as { __COMPOSED_HANDLER?: unknown }).__COMPOSED_HANDLER ?? r.handler;
    const mark = routeMark(handler);
    const key = `${r.method} ${r.path}`;
    if (r.method === "ALL") {
      if (mark) throw new Error(`${key}: a route doc on middleware (use/all) documents nothing; put it on the route`);
      continue;
    }
    const op = operations.get(key) ?? { method: r.method, path: r.path };
    if (mark && op.mark) throw new Error(`${key}: marked twice (one doc or one undocumented() per route)`);
    if (mark) op.mark = mark;
    operations.set(key, op);
  }
  return [...operations.values()];
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
