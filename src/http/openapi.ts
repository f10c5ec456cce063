// Route documentation, declared next to the route it documents. The route gives the method
// and the path; the doc gives the rest, so neither is ever written twice:
//
//   describeRoutes(sessionRoutes, { tags: ["Sessions"], auth: "bearer" });   // once per sub-app
//   describeRoute(sessionRoutes, { summary: "…", responses: { 200: "Sessions" } });
//   sessionRoutes.get("/", requireUser(), async (c) => { … });
//
// `describeRoute(app, doc)` documents the next route registered on `app`; a route
// deliberately left out of the document says why with `undocumented(app, "why")` instead.
// `npm run build` walks the mounted routes of buildApp() and writes public/openapi.json
// (src/http/openapi-document.ts), so zod's JSON-schema generator never ships in the
// Worker; test/routes/route-docs.test.ts checks that every mounted route is described or
// marked, and that every doc lands on a mounted route.
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
/** What every doc of one sub-app shares; `responses` are merged under each doc's own. */
type Defaults = { tags: string[]; auth?: Auth; responses?: Responses };

export type RouteMark = { doc: RouteDoc } | { undocumented: string };
/** A Hono app as far as docs care: its handlers so far (`app.routes`). */
type RouteTable = { readonly routes: readonly unknown[] };
/** A mark and where it stands: before the `at`-th handler registered on `app`. */
export type PlacedMark = { app: RouteTable; at: number; mark: RouteMark };

const marks: PlacedMark[] = [];
const defaults = new WeakMap<RouteTable, Defaults>();

// Replaced at build time (wrangler: "production" for `deploy`, "development" for `dev`);
// undefined in the tests.
declare const process: { env: { NODE_ENV?: string } };

/*
 * Every function below records, except in the Worker that `wrangler deploy` builds: there
 * `process.env.NODE_ENV` is the constant "production", each body folds to nothing, and
 * esbuild drops every call with its summaries and doc-only schemas (zod/mini constructors
 * are marked free of side effects): no doc costs bundle bytes or request time
 * (docs/architecture.md §8). The Worker serves the document built by `npm run build`; the
 * tests, `wrangler dev` and that build keep the marks.
 */

/** Tags, auth and responses every doc of `app` starts from. */
export function describeRoutes(app: RouteTable, common: Defaults): void {
  if (process.env.NODE_ENV !== "production") defaults.set(app, common);
}

/** Documents the next route registered on `app` (its method and path come from the route). */
export function describeRoute(app: RouteTable, doc: Omit<RouteDoc, "tags"> & { tags?: string[] }): void {
  if (process.env.NODE_ENV !== "production") {
    const common = defaults.get(app) ?? { tags: [] };
    marks.push({ app, at: app.routes.length, mark: { doc: { ...common, ...doc, responses: { ...common.responses, ...doc.responses } } } });
  }
}

/** Marks the next route registered on `app` as deliberately absent from the API document. */
export function undocumented(app: RouteTable, reason: string): void {
  if (process.env.NODE_ENV !== "production") marks.push({ app, at: app.routes.length, mark: { undocumented: reason } });
}

export const placedMarks = (): readonly PlacedMark[] => marks;
