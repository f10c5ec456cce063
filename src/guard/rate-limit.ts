// Rate limits: ONE policy table, enforced by one function. Each rule counts hits per
// subject (client IP, account, target email/phone, ...) in its own Limiter object, so
// keys are sharded across objects and none is a global hot spot.
// Defaults follow the anchors in DESIGN.md (Better Auth: 3 per 10 s on sign-in/sign-up,
// 3 per 60 s on emails; Supabase-style hourly caps). Override with RATE_LIMITS (JSON).
import type { Context } from "hono";
import { clock } from "../clock";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sha256Hex } from "../auth/secrets";

export type Subject = "ip" | "account" | "target" | "country";
export type LimitRule = { by: Subject; limit: number; windowSeconds: number };

export const DEFAULT_POLICY = {
  "auth.register": [
    { by: "ip", limit: 3, windowSeconds: 10 },
    { by: "ip", limit: 30, windowSeconds: 3600 },
    { by: "target", limit: 3, windowSeconds: 60 },
  ],
  "auth.login": [
    { by: "ip", limit: 3, windowSeconds: 10 },
    { by: "ip", limit: 100, windowSeconds: 3600 },
  ],
  "auth.verify-email": [{ by: "ip", limit: 10, windowSeconds: 60 }],
  "auth.resend-verification": [
    { by: "ip", limit: 3, windowSeconds: 60 },
    { by: "target", limit: 3, windowSeconds: 60 },
    { by: "target", limit: 10, windowSeconds: 86400 },
  ],
  "auth.password-forgot": [
    { by: "ip", limit: 3, windowSeconds: 60 },
    { by: "target", limit: 3, windowSeconds: 60 },
    { by: "target", limit: 10, windowSeconds: 86400 },
  ],
  "auth.password-reset": [{ by: "ip", limit: 10, windowSeconds: 60 }],
  "auth.refresh": [{ by: "ip", limit: 60, windowSeconds: 60 }],
  "me.password": [{ by: "account", limit: 5, windowSeconds: 60 }],
  // Each start writes a KV transaction; each callback costs a token exchange.
  "auth.oauth-start": [
    { by: "ip", limit: 10, windowSeconds: 60 },
    { by: "ip", limit: 100, windowSeconds: 3600 },
  ],
  "auth.oauth-callback": [{ by: "ip", limit: 10, windowSeconds: 60 }],
  "me.identities": [{ by: "account", limit: 10, windowSeconds: 60 }],
  // Every code sent to a phone, whatever the flow (sign-in, sign-up, add phone), so
  // switching flows does not buy more messages. target = E.164 number: one per 60 s
  // (resend cooldown) and 10 a day. country = calling code ("+234"): SMS pumping (toll
  // fraud) sprays premium ranges of one country, so a per-prefix hourly cap bounds the bill.
  "code.send-phone": [
    { by: "target", limit: 1, windowSeconds: 60 },
    { by: "target", limit: 10, windowSeconds: 86400 },
    { by: "ip", limit: 5, windowSeconds: 60 },
    { by: "ip", limit: 30, windowSeconds: 86400 },
    { by: "country", limit: 300, windowSeconds: 3600 },
  ],
  "code.send-email": [
    { by: "target", limit: 1, windowSeconds: 60 },
    { by: "target", limit: 10, windowSeconds: 86400 },
    { by: "ip", limit: 5, windowSeconds: 60 },
    { by: "ip", limit: 50, windowSeconds: 86400 },
  ],
  // Guessing is bounded per code target by the one-time-code failure budget; this bounds
  // one IP spraying many targets.
  "code.verify": [{ by: "ip", limit: 10, windowSeconds: 60 }],
  "signup.phone": [{ by: "ip", limit: 20, windowSeconds: 60 }],
} satisfies Record<string, LimitRule[]>;

export type Action = keyof typeof DEFAULT_POLICY | (string & {});
export type Policy = Record<string, LimitRule[]>;

const cache = new WeakMap<Env, Policy>();

/** The policy in force: defaults, with any action replaced by RATE_LIMITS (JSON). */
export function ratePolicy(env: Env): Policy {
  let p = cache.get(env);
  if (!p) {
    const overrides = env.RATE_LIMITS ? (JSON.parse(env.RATE_LIMITS) as Policy) : {};
    cache.set(env, (p = { ...DEFAULT_POLICY, ...overrides }));
  }
  return p;
}

/**
 * Counts one hit against every rule of `action` for the given subjects; throws 429
 * `rate_limited` (Retry-After + RateLimit headers) if any rule is over its budget.
 * Subjects are hashed: no raw email or IP becomes a Durable Object name.
 */
export async function enforceRateLimit(c: Context<AppEnv>, action: Action, subjects: Partial<Record<Subject, string | null | undefined>>): Promise<void> {
  const rules = (ratePolicy(c.env)[action] ?? []).filter((r) => subjects[r.by]);
  if (rules.length === 0) return;
  const now = clock.now();
  const results = await Promise.all(
    rules.map((rule) => {
      const name = `rl:${action}:${rule.by}:${rule.limit}/${rule.windowSeconds}:${sha256Hex(subjects[rule.by]!)}`;
      return c.env.LIMITER.get(c.env.LIMITER.idFromName(name)).hit(rule.limit, rule.windowSeconds * 1000, now);
    }),
  );
  // Report the tightest rule (IETF draft-ietf-httpapi-ratelimit-headers).
  let tightest = 0;
  results.forEach((r, i) => {
    if (!r.allowed && results[tightest]!.allowed) tightest = i;
    else if (r.allowed === results[tightest]!.allowed && r.remaining < results[tightest]!.remaining) tightest = i;
  });
  const rule = rules[tightest]!;
  const result = results[tightest]!;
  const policyName = `"${rule.by}-${rule.windowSeconds}s"`;
  const headers = {
    "ratelimit-policy": `${policyName};q=${rule.limit};w=${rule.windowSeconds}`,
    ratelimit: `${policyName};r=${result.remaining};t=${Math.ceil((result.allowed ? result.resetMs : result.retryAfterMs) / 1000)}`,
  };
  if (!result.allowed) {
    throw new ApiError("rate_limited", { headers: { ...headers, "retry-after": String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) } });
  }
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
}
