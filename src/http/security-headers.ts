// The security headers on every response the Worker writes (README "Browser hardening").
// A fixed list rather than hono/secure-headers: our options never vary per request, and
// the list costs a fraction of that middleware's bundle bytes (docs/architecture.md §8).
// The values are the ones hono/secure-headers produced with our options.
import type { MiddlewareHandler } from "hono";

const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=63072000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "DENY"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
  ["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
];

/**
 * Adds each header the response does not already have: a route that sets one itself keeps
 * it (avatars: a sandbox CSP and a cross-origin resource policy; the docs page: its own CSP).
 */
export const securityHeaders = (): MiddlewareHandler => async (c, next) => {
  await next();
  for (const [name, value] of SECURITY_HEADERS) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  c.res.headers.delete("X-Powered-By");
};
