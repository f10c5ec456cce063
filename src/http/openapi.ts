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

export function describeRoute(doc: RouteDoc): void {
  routes.push(doc);
}

export const describedRoutes = (): readonly RouteDoc[] => routes;
