// Third-party HTTP in the tests: the one stand-in for outbound fetch (docs/architecture.md §7).
// A test declares the URLs it expects (origin + path; the query is not matched) with a
// responder, and gets back every request sent to them, body parsed, to assert on. Any other
// outbound request fails the test: fetch rejects at once, and the check after each test
// (test/setup.ts) throws, so code that swallows a fetch error (a fail-open lookup) cannot
// hide it. Only the local OpenID Connect server (OIDC_ISSUER) is reached for real.
import { env } from "cloudflare:test";

/** A request as sent. `body` is the JSON value or the form's fields; absent when empty. */
export type Sent = { method: string; url: string; headers: Record<string, string>; body?: Record<string, unknown> };
export type Responder = (sent: Sent, request: Request) => Response | Promise<Response>;

const realFetch = globalThis.fetch;
let routes: Record<string, Responder> = {};
let log: Sent[] = [];
let unexpected: string[] = [];

/** Answers requests to `table`'s URLs from now on (replacing earlier routes); returns what they receive. */
export function intercept(table: Record<string, Responder>): Sent[] {
  routes = table;
  log = [];
  return log;
}

/** A responder that always answers `body` as JSON with `status`. */
export function answer(body: unknown, status = 200): Responder {
  return () => Response.json(body, { status });
}

async function interceptedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const url = new URL(request.url);
  const route = routes[`${url.origin}${url.pathname}`];
  if (!route) {
    if (url.origin === new URL(env.OIDC_ISSUER!).origin) return realFetch(request);
    unexpected.push(`${request.method} ${request.url}`);
    throw new Error(`unexpected outbound request ${request.method} ${request.url}: no route declared with intercept()`);
  }
  const sent: Sent = {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    body: parseBody(await request.clone().text(), request.headers),
  };
  log.push(sent);
  return route(sent, request);
}

function parseBody(text: string, headers: Headers): Record<string, unknown> | undefined {
  if (!text) return undefined;
  const type = headers.get("content-type") ?? "";
  if (type.startsWith("application/json")) return JSON.parse(text);
  if (!type.startsWith("application/x-www-form-urlencoded")) throw new Error(`intercept: unexpected request body type ${type}`);
  const fields = new URLSearchParams(text);
  // As an object a repeated field would hide its other values: refuse rather than compare less.
  if (new Set(fields.keys()).size !== [...fields.keys()].length) throw new Error(`intercept: repeated form field in ${text}`);
  return Object.fromEntries(fields);
}

/** test/setup.ts: before each test, fetch goes through the routes (none yet). */
export function startIntercepting() {
  intercept({});
  unexpected = [];
  globalThis.fetch = interceptedFetch;
}

/** test/setup.ts: after each test, the real fetch again; fails the test on any unexpected request. */
export function stopIntercepting() {
  globalThis.fetch = realFetch;
  if (unexpected.length) throw new Error(`unexpected outbound requests (declare them with intercept()):\n${unexpected.join("\n")}`);
}
