// Clients this isolate saw refused, by action and client network, until they may come
// back (src/guard/rate-limit.ts remembers each refusal). An action charged only when a
// request fails (auth.refresh) turns them away before doing the work, with no round
// trip. Only ever refuses what a Limiter refused, for no longer than it said. Bounded:
// the oldest entries go first, so a flood of distinct clients cannot grow the isolate.
import type { Context } from "hono";
import { clientIp } from "../auth/device";
import { clock } from "../clock";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { clientNetwork } from "./client-network";

const refused = new Map<string, { until: number; headers: Record<string, string> }>();
const REFUSED_MEMORY = 1000;
const refusedKey = (action: string, ip: string) => `${action}|${ip}`;

/** A Limiter refused `action` to client network `ip` until `until` (with these RateLimit headers). */
export function rememberRefusal(action: string, ip: string, until: number, headers: Record<string, string>): void {
  refused.delete(refusedKey(action, ip));
  refused.set(refusedKey(action, ip), { until, headers });
  for (const key of refused.keys()) {
    if (refused.size <= REFUSED_MEMORY) break;
    refused.delete(key);
  }
}

/** Throws the 429 a Limiter gave this client for `action` while it still holds; else nothing. */
export function refuseIfRecentlyLimited(c: Context<AppEnv>, action: string): void {
  const key = refusedKey(action, clientNetwork(clientIp(c.req.raw)).ip);
  const seen = refused.get(key);
  if (!seen) return;
  const left = seen.until - clock.now();
  if (left <= 0) {
    refused.delete(key);
    return;
  }
  throw new ApiError("rate_limited", { headers: { ...seen.headers, "retry-after": String(Math.max(1, Math.ceil(left / 1000))) } });
}
