// Health, published keys, API documentation and the development outbox.
import { Hono } from "hono";
import * as z from "zod/mini";
import { config } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { keyRing } from "../auth/signing-keys";
import { describeRoute, openApiDocument } from "../http/openapi";
import { queryParams } from "../http/validate";
import { readDevOutbox } from "../messages/outbox";
import { normalizeEmail, pingDatabase } from "../storage/users";
import { docsPage } from "./docs-page";

export const systemRoutes = new Hono<AppEnv>();

/** How long a JWKS response may be cached, plus served stale: scripts/rotate-keys.mjs waits this long. */
export const JWKS_MAX_AGE_SECONDS = 300;
export const JWKS_STALE_SECONDS = 60;
const tags = ["Service"];

describeRoute({ method: "get", path: "/health", tags, summary: "Liveness of the service and its stores.", responses: { 200: "Healthy", 503: "A store is failing" } });
systemRoutes.get("/health", async (c) => {
  const probe = async (fn: () => Promise<unknown>) => fn().then(() => "ok" as const, () => "error" as const);
  const checks = {
    d1: await probe(() => pingDatabase(c.env)),
    kv: await probe(() => c.env.KV.get("health:probe")),
  };
  const healthy = Object.values(checks).every((v) => v === "ok");
  c.header("cache-control", "no-store");
  return c.json({ status: healthy ? "ok" : "error", checks }, healthy ? 200 : 503);
});

// The cheapest JSON answer the Worker gives (no store touched): the baseline the
// benchmarks divide by, and a liveness probe that does not wake D1 or KV.
describeRoute({ method: "get", path: "/api/ping", tags, summary: "Liveness only: answers without touching any store.", responses: { 200: "{status: \"ok\"}" } });
systemRoutes.get("/api/ping", (c) => c.json({ status: "ok" }));

describeRoute({ method: "get", path: "/.well-known/jwks.json", tags, summary: "Public keys that verify access tokens (RFC 7517).", responses: { 200: "JWK Set" } });
systemRoutes.get("/.well-known/jwks.json", async (c) => {
  const ring = await keyRing(c.env);
  // Short enough that a newly published key is picked up well before it signs
  // (README "Key rotation": publish, wait JWKS_CACHE_SECONDS, then sign), long enough
  // that verifiers rarely refetch. Public keys: any origin may read them (browsers too).
  c.header("cache-control", `public, max-age=${JWKS_MAX_AGE_SECONDS}, stale-while-revalidate=${JWKS_STALE_SECONDS}`);
  c.header("access-control-allow-origin", "*");
  c.header("cross-origin-resource-policy", "cross-origin");
  return c.json(ring.jwks);
});

systemRoutes.get("/api/openapi.json", (c) => c.json(openApiDocument(config(c.env).publicUrl, config(c.env).appName)));
systemRoutes.get("/api/docs", (c) => {
  c.header("content-security-policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
  return c.html(docsPage(config(c.env).appName));
});

const OutboxQuery = z.object({ to: z.string().check(z.trim(), z.minLength(3), z.maxLength(254)) });
describeRoute({ method: "get", path: "/api/dev/outbox", tags, query: OutboxQuery, summary: "Development only: messages sent to an address, newest first. 404 elsewhere.", responses: { 200: "Messages" } });
systemRoutes.get("/api/dev/outbox", async (c, next) => {
  if (!config(c.env).isDevelopment) throw new ApiError("not_found");
  return next();
}, queryParams(OutboxQuery), async (c) => {
  const { to } = c.req.valid("query");
  const address = to.includes("@") ? normalizeEmail(to) : to;
  c.header("cache-control", "no-store");
  return c.json({ messages: await readDevOutbox(c.env, address) });
});
