// Rate limits: ONE policy table, enforced by one function. Each rule counts hits per
// subject (client IP, account, target email/phone, ...) in its own Limiter object, so
// keys are sharded across objects and none is a global hot spot.
// Defaults follow the anchors in docs/architecture.md §5 (Better Auth: 3 per 10 s on sign-in/sign-up,
// 3 per 60 s on emails; Supabase-style hourly caps). Override with RATE_LIMITS (JSON).
import type { Context } from "hono";
import { clock } from "../clock";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { clientIp } from "../auth/device";
import { sha256Hex } from "../auth/secrets";
import { audit } from "../http/audit";
import { limiterObject, objectNames } from "../objects/names";

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
  "me.sessions": [{ by: "account", limit: 30, windowSeconds: 60 }],
  "me.activity": [{ by: "account", limit: 30, windowSeconds: 60 }],
  // Profile (README "Profile"): edits, and username claims (a 409 names a taken username,
  // so this also bounds how fast one account can probe names).
  "me.profile": [{ by: "account", limit: 20, windowSeconds: 60 }],
  // Each upload is up to 2 MB of R2 writes.
  "me.avatar": [
    { by: "account", limit: 5, windowSeconds: 60 },
    { by: "account", limit: 30, windowSeconds: 86400 },
  ],
  // Email change sends a code to an address the caller chooses: per account here, per
  // address through code.send-email as well.
  "me.email-change": [
    { by: "account", limit: 3, windowSeconds: 60 },
    { by: "account", limit: 10, windowSeconds: 86400 },
  ],
  "me.email-change-verify": [{ by: "account", limit: 10, windowSeconds: 60 }],
  "auth.email-change-revert": [{ by: "ip", limit: 10, windowSeconds: 60 }],
  "me.lifecycle": [{ by: "account", limit: 5, windowSeconds: 60 }],
  "auth.reactivate": [{ by: "ip", limit: 10, windowSeconds: 60 }],
  // An export reads every row about the user.
  "me.export": [{ by: "account", limit: 3, windowSeconds: 3600 }],
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
  // A code typed while its target has no live challenge (nothing sent, already used,
  // lapsed) can never succeed. It is charged here, to the guessing client, and never to
  // the target: a stranger must not spend the budget of the owner's next code (issue 10 §3).
  "code.no-challenge": [{ by: "ip", limit: 5, windowSeconds: 600 }],
  "signup.phone": [{ by: "ip", limit: 20, windowSeconds: 60 }],
  // Second factors and passkeys. Guessing a second step is bounded per mfaToken (5) and
  // per user (the second-factor lock-out); these bound one IP or account spraying.
  "auth.mfa-verify": [{ by: "ip", limit: 10, windowSeconds: 60 }],
  "auth.passkey": [{ by: "ip", limit: 20, windowSeconds: 60 }],
  "auth.reauthenticate": [{ by: "account", limit: 10, windowSeconds: 60 }],
  "me.mfa": [{ by: "account", limit: 20, windowSeconds: 60 }],
} satisfies Record<string, LimitRule[]>;

export type Action = keyof typeof DEFAULT_POLICY | (string & {});
export type Policy = Record<string, LimitRule[]>;

const cache = new WeakMap<Env, Policy>();

const SUBJECTS: readonly Subject[] = ["ip", "account", "target", "country"];
const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** One rule as configured: a known subject, limit 1..100000, window 1 s..7 days. (Checked by hand: a zod schema here cost ~1 KiB of bundle.) */
function isRule(r: unknown): r is LimitRule {
  const o = r as Partial<LimitRule> | null;
  return typeof o === "object" && o !== null && SUBJECTS.includes(o.by as Subject) && isInt(o.limit, 1, 100_000) && isInt(o.windowSeconds, 1, 7 * 86400);
}

/** Parses RATE_LIMITS; a malformed value is logged and ignored (the defaults stay in force, never "no limits"). */
export function parseRateLimits(json: string | undefined): Policy {
  if (!json?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    console.error("[config] RATE_LIMITS ignored: not valid JSON");
    return {};
  }
  const valid =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) &&
    Object.entries(parsed).every(([action, rules]) => action.length <= 64 && Array.isArray(rules) && rules.every(isRule));
  if (valid) return parsed as Policy;
  console.error('[config] RATE_LIMITS ignored: expected {"<action>": [{"by": "ip|account|target|country", "limit": 1..100000, "windowSeconds": 1..604800}]}');
  return {};
}

/** The policy in force: defaults, with any action replaced by RATE_LIMITS (JSON). */
export function ratePolicy(env: Env): Policy {
  let p = cache.get(env);
  if (!p) cache.set(env, (p = { ...DEFAULT_POLICY, ...parseRateLimits(env.RATE_LIMITS) }));
  return p;
}

/**
 * Counts one hit against every rule of `action` for the given subjects; throws 429
 * `rate_limited` (Retry-After + RateLimit headers) if any rule is over its budget.
 * The client IP defaults to CF-Connecting-IP (src/auth/device.ts); callers name the
 * other subjects. Subjects are hashed: no raw email or IP becomes a Durable Object name.
 */
export async function enforceRateLimit(c: Context<AppEnv>, action: Action, given: Partial<Record<Subject, string | null | undefined>> = {}): Promise<void> {
  const subjects = { ...given, ip: given.ip ?? clientIp(c.req.raw) };
  const rules = (ratePolicy(c.env)[action] ?? []).filter((r) => subjects[r.by]);
  if (rules.length === 0) return;
  const now = clock.now();
  const results = await Promise.all(
    rules.map((rule) => {
      const name = objectNames.rateLimit(action, rule.by, rule.limit, rule.windowSeconds, sha256Hex(subjects[rule.by]!));
      return limiterObject(c.env, name).hit(rule.limit, rule.windowSeconds * 1000, now);
    }),
  );
  // Report one rule (IETF draft-ietf-httpapi-ratelimit-headers): when refused, the one
  // that frees up last (so Retry-After is honest); otherwise the one closest to its limit.
  let tightest = 0;
  results.forEach((r, i) => {
    const t = results[tightest]!;
    if (!r.allowed && (t.allowed || r.retryAfterMs > t.retryAfterMs)) tightest = i;
    else if (r.allowed && t.allowed && r.remaining < t.remaining) tightest = i;
  });
  const rule = rules[tightest]!;
  const result = results[tightest]!;
  const policyName = `"${rule.by}-${rule.windowSeconds}s"`;
  const headers = {
    "ratelimit-policy": `${policyName};q=${rule.limit};w=${rule.windowSeconds}`,
    ratelimit: `${policyName};r=${result.remaining};t=${Math.ceil((result.allowed ? result.resetMs : result.retryAfterMs) / 1000)}`,
  };
  if (!result.allowed) {
    // One audit event per rule and subject per window: a flood costs one D1 write, not thousands.
    if (results.some((r) => !r.allowed && r.firstDenial)) {
      // Auditing must never turn a 429 into a 500 (e.g. a context without a request).
      try {
        audit(c, { type: "rate_limited", userId: rule.by === "account" ? subjects.account : null, sessionId: c.get("sessionId"), detail: { action, rule: `${rule.by}:${rule.limit}/${rule.windowSeconds}s` } });
      } catch (e) {
        console.error("[audit] rate_limited not recorded", e);
      }
    }
    throw new ApiError("rate_limited", { headers: { ...headers, "retry-after": String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) } });
  }
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
}
