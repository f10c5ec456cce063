// The one door to the API: JSON in and out, problem+json (RFC 9457) turned into a typed
// result, the in-memory access token attached, one silent refresh on an expired token.
// Offline is its own outcome so forms can say so and retry when the network returns.
import { accessToken, pendingStep, refreshSession } from "./session";

export type FieldError = { path: string; message: string };
export type Problem = {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  retryAfter?: number;
  /** RFC 9457 extension members (e.g. reactivationToken of account_deactivated). */
  extensions?: Record<string, unknown>;
};
/**
 * `retryAfter` on a success: seconds until the server would accept the same request
 * again, from its RateLimit header when this request used up the budget (r=0), e.g. the
 * 60 s resend cooldown of a code. On a problem: the Retry-After header.
 */
export type ApiResult<T> =
  | { ok: true; status: number; data: T; retryAfter?: number }
  | { ok: false; offline: true }
  | { ok: false; offline?: false; problem: Problem };

type Options = { method?: string; json?: unknown; auth?: boolean; retryOn401?: boolean };

export async function api<T = unknown>(path: string, options: Options = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.json !== undefined) headers["content-type"] = "application/json";
  const token = options.auth ? accessToken() : null;
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? (options.json !== undefined ? "POST" : "GET"),
      headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : undefined,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    // fetch rejects only when no response came back at all: offline, DNS, reset.
    return { ok: false, offline: true };
  }
  if (res.status === 401 && options.auth && options.retryOn401 !== false && (await refreshSession())) {
    return api<T>(path, { ...options, retryOn401: false });
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.ok) return { ok: true, status: res.status, data: body as T, retryAfter: exhaustedFor(res.headers.get("ratelimit")) };
  const p = (body ?? {}) as Partial<Problem>;
  // The server says this session must verify a phone first: the app routes to that step.
  if (res.status === 403 && p.code === "phone_verification_required") pendingStep.set("phone");
  const retryAfter = Number(res.headers.get("retry-after")) || undefined;
  return {
    ok: false,
    problem: {
      status: res.status,
      code: p.code ?? "http_" + res.status,
      title: p.title ?? res.statusText,
      detail: p.detail,
      errors: p.errors,
      retryAfter,
      extensions: p as Record<string, unknown>,
    },
  };
}

/** `"target-60s";r=0;t=58` (draft-ietf-httpapi-ratelimit-headers) -> 58; a budget with room left -> undefined. */
export function exhaustedFor(header: string | null): number | undefined {
  const remaining = /;\s*r=(\d+)/.exec(header ?? "")?.[1];
  const reset = /;\s*t=(\d+)/.exec(header ?? "")?.[1];
  return remaining === "0" && reset ? Number(reset) : undefined;
}

/** Feature discovery: the OpenAPI document lists the routes this deployment has. */
let routes: Promise<Set<string>> | undefined;
export function availableRoutes(): Promise<Set<string>> {
  routes ??= api<{ paths?: Record<string, Record<string, unknown>> }>("/api/openapi.json").then((r) => {
    const set = new Set<string>();
    if (r.ok) for (const [path, ops] of Object.entries(r.data?.paths ?? {})) for (const m of Object.keys(ops)) set.add(`${m.toUpperCase()} ${path}`);
    return set;
  });
  return routes;
}

export async function hasRoute(method: string, path: string): Promise<boolean> {
  return (await availableRoutes()).has(`${method} ${path}`);
}
