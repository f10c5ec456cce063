// The route registry behind the OpenAPI document. Route files call `describeRoute` next
// to their handlers with the same zod schemas that validate requests; `npm run build`
// turns the registry into public/openapi.json (src/http/openapi-document.ts), so zod's
// JSON-schema generator never ships in the Worker bundle.
import type * as z from "zod/mini";

type Responses = Record<number, string | { description: string; schema?: z.ZodMiniType }>;

export type RouteDoc = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  tags: string[];
  body?: z.ZodMiniType;
  query?: z.ZodMiniObject;
  auth?: "bearer" | "refresh-cookie";
  responses: Responses;
};

const routes: RouteDoc[] = [];

// Replaced at build time (wrangler: "production" for `deploy`, "development" for `dev`);
// undefined in the tests.
declare const process: { env: { NODE_ENV?: string } };

/**
 * Records a route's doc, except in the Worker that `wrangler deploy` builds: there
 * `process.env.NODE_ENV` is the constant "production", this body folds to nothing, and
 * esbuild drops every call with its summaries and doc-only schemas (zod/mini constructors
 * are marked free of side effects): ~9 KiB of the 150 KiB gzip bundle budget
 * (docs/architecture.md §8). The Worker serves the document built by `npm run build`; the
 * tests, `wrangler dev` and that build keep the registry.
 */
export function describeRoute(doc: RouteDoc): void {
  if (process.env.NODE_ENV !== "production") routes.push(doc);
}

export const describedRoutes = (): readonly RouteDoc[] => routes;
