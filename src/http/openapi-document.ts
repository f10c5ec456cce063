// Builds the OpenAPI 3.1 document from the route registry (src/http/openapi.ts).
// Runs at build time (scripts/build-openapi.mjs) and in tests, never in the Worker.
import * as z from "zod/mini";
import type { RouteDoc } from "./openapi";

const jsonSchema = (schema: z.ZodMiniType) => z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });

const problem = {
  description: "Problem details (RFC 9457)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};

export function openApiDocument(routes: readonly RouteDoc[], title: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
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
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      tags: r.tags,
      ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } } : {}),
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
