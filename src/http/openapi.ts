// Route documentation, declared on the route itself. `describe(doc)` returns a middleware
// that only calls `next()` and carries its doc; the route it is mounted on gives the
// method and the path, so neither is ever written twice:
//
//   const describe = describeRoutes({ tags: ["Sessions"], auth: "bearer" });
//   const listDoc = describe({ summary: "…", responses: { 200: "Sessions" } });
//   sessionRoutes.get("/", listDoc, requireUser(), async (c) => { … });
//
// A route that is deliberately left out of the document says why: `undocumented("…")`.
// `npm run build` walks the mounted routes of buildApp() and writes public/openapi.json
// (src/http/openapi-document.ts), so zod's JSON-schema generator never ships in the
// Worker; test/routes/route-docs.test.ts checks that every mounted route is marked.
import type { MiddlewareHandler } from "hono";
import type * as z from "zod/mini";

type Responses = Record<number, string | { description: string; schema?: z.ZodMiniType }>;
type Auth = "bearer" | "refresh-cookie";

export type RouteDoc = {
  summary: string;
  tags: string[];
  /** The JSON body (the schema its validator uses). */
  body?: z.ZodMiniType;
  /** A form body (application/x-www-form-urlencoded), for providers that post forms. */
  form?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  auth?: Auth;
  responses: Responses;
};

export type RouteMark = { doc: RouteDoc } | { undocumented: string };

const marks = new WeakMap<object, RouteMark>();

function mark(m: RouteMark): MiddlewareHandler {
  const passThrough: MiddlewareHandler = (_c, next) => next();
  marks.set(passThrough, m);
  return passThrough;
}

/** A describer for the routes of one file: `defaults` (tags, auth) apply to each doc it makes. */
export const describeRoutes =
  (defaults: { tags: string[]; auth?: Auth }) =>
  (doc: Omit<RouteDoc, "tags"> & { tags?: string[] }): MiddlewareHandler =>
    mark({ doc: { ...defaults, ...doc } });

/** Marks a mounted route as deliberately absent from the API document, and says why. */
export const undocumented = (reason: string): MiddlewareHandler => mark({ undocumented: reason });

/** The mark a mounted handler carries, if it is a doc or an `undocumented` marker. */
export const routeMark = (handler: unknown): RouteMark | undefined => (typeof handler === "function" ? marks.get(handler) : undefined);
