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
import type { LimitResult, LimitWindow } from "../model/limits";
import { oncePer } from "../model/memo";
import { limiterObject, objectNames } from "../objects/names";
import { clientNetwork } from "./client-network";
import { rememberRefusal } from "./refused-clients";

/** ip: IPv4 address or IPv6 /64; ip48: IPv6 /48 (absent for IPv4); target: email or phone; country: calling code. */
export type Subject = "ip" | "ip48" | "account" | "target" | "country";
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
    // One IPv6 client walking the /64s of its /48 (a site may hold 65,536 of them).
    { by: "ip48", limit: 20, windowSeconds: 10 },
    { by: "ip48", limit: 300, windowSeconds: 3600 },
  ],
  // "Account exists" notices to one address: registering a taken address is free to
  // repeat from many IPs, and each would mail the owner (charged only when one is sent).
  "auth.register-notice": [{ by: "target", limit: 3, windowSeconds: 86400 }],
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
  // Charged for refreshes that FAIL (no token, unknown, reused, ended): holding a valid
  // 256-bit refresh token is not guessing, so a signed-in client refreshes in one round
  // trip (docs/architecture.md §8). This bounds one IP spraying made-up tokens at users'
  // session objects; a refused client is turned away before any (src/guard/refused-clients.ts).
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
    { by: "ip48", limit: 10, windowSeconds: 60 },
    { by: "ip48", limit: 100, windowSeconds: 86400 },
    // Charged only when a message is actually queued (auth/code-delivery.ts), so codes
    // "sent" to unknown numbers and refused requests cannot use up a country's budget.
    { by: "country", limit: 300, windowSeconds: 3600 },
  ],
  "code.send-email": [
    { by: "target", limit: 1, windowSeconds: 60 },
    { by: "target", limit: 10, windowSeconds: 86400 },
    { by: "ip", limit: 5, windowSeconds: 60 },
    { by: "ip", limit: 50, windowSeconds: 86400 },
    { by: "ip48", limit: 10, windowSeconds: 60 },
    { by: "ip48", limit: 150, windowSeconds: 86400 },
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
  // Organizations (README "Organizations"). Creation per user; invitations per
  // organization per day (target = org id: the mail it can make us send) and per
  // inviter; guessing invitation tokens per IP (256-bit tokens: this bounds the noise).
  "org.create": [{ by: "account", limit: 10, windowSeconds: 3600 }],
  "org.invite": [
    { by: "target", limit: 100, windowSeconds: 86400 },
    { by: "account", limit: 20, windowSeconds: 60 },
  ],
  "invitation.lookup": [{ by: "ip", limit: 20, windowSeconds: 60 }],
  "invitation.accept": [{ by: "ip", limit: 10, windowSeconds: 60 }],
  // Platform admin API, per admin: bounds a stolen admin token's sweep of the user table.
  "admin.api": [{ by: "account", limit: 60, windowSeconds: 60 }],
} satisfies Record<string, LimitRule[]>;

export type Action = keyof typeof DEFAULT_POLICY | (string & {});
export type Policy = Record<string, LimitRule[]>;

const SUBJECTS: readonly Subject[] = ["ip", "ip48", "account", "target", "country"];
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
    typeof parsed === "object" &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.entries(parsed).every(([action, rules]) => action.length <= 64 && Array.isArray(rules) && rules.every(isRule));
  if (!valid) {
    console.error(
      '[config] RATE_LIMITS ignored: expected {"<action>": [{"by": "ip|ip48|account|target|country", "limit": 1..100000, "windowSeconds": 1..604800}]}',
    );
    return {};
  }
  // An empty list would switch the action's limits off: keep its defaults instead.
  const policy = Object.fromEntries(Object.entries(parsed as Policy).filter(([, rules]) => rules.length > 0));
  const dropped = Object.keys(parsed as Policy).filter((action) => !(action in policy));
  if (dropped.length) console.error(`[config] RATE_LIMITS: empty rule lists ignored (defaults stay) for ${dropped.join(", ")}`);
  return policy;
}

/** The policy in force: defaults, with any action replaced by RATE_LIMITS (JSON). */
export const ratePolicy = oncePer((env: Env): Policy => ({ ...DEFAULT_POLICY, ...parseRateLimits(env.RATE_LIMITS) }));

export type Subjects = Partial<Record<Subject, string | null | undefined>>;

/** The outcome of one charge: `rule`/`result` is the one rule worth reporting in headers. */
export type Charge = { allowed: boolean; rule: LimitRule; result: LimitResult; firstDenial: boolean };

// A subject nested in another is counted in the outer one's object: an IPv6 client's
// /64 inside its /48. The /48 object sees every request of its /64s anyway (the ip48
// rules), so this makes no new hot spot, and a sign-in pays one round trip, not two
// (docs/architecture.md §8). An IPv4 client has no ip48: its ip has an object of its own.
const NESTED_IN: Partial<Record<Subject, Subject>> = { ip: "ip48" };

type ObjectCharge = { name: string; rules: LimitRule[]; windows: LimitWindow[] };

/** The Limiter objects one charge touches, each with its windows (scoped when it holds another subject's too). */
function objectCharges(action: Action, rules: LimitRule[], subjects: Subjects): ObjectCharge[] {
  const objects = new Map<string, ObjectCharge>();
  for (const rule of rules) {
    const outer = NESTED_IN[rule.by];
    const home = outer && subjects[outer] ? outer : rule.by;
    const name = objectNames.rateLimit(action, home, sha256Hex(subjects[home]!));
    const scope = home === rule.by ? undefined : `${rule.by}:${sha256Hex(subjects[rule.by]!)}`;
    const entry = objects.get(name) ?? { name, rules: [], windows: [] };
    entry.rules.push(rule);
    entry.windows.push({ limit: rule.limit, windowMs: rule.windowSeconds * 1000, ...(scope ? { scope } : {}) });
    objects.set(name, entry);
  }
  return [...objects.values()];
}

/**
 * Counts one hit against every rule of `action` whose subject is given, or against none.
 * Rules are grouped by object (one Limiter object holds all windows of one subject, and
 * of the subjects nested in it, all or nothing) and the objects are charged one after
 * another; when one refuses, those already charged are refunded. So a refused request
 * consumes no budget anywhere: a client flooding past its own per-IP limit cannot use up
 * a target's or a country's budget meanwhile. A parallel burst never over-admits: each
 * window is exact, and a refund only gives back what a request that was refused had
 * taken. null: no rule applies.
 */
export async function chargeRateLimit(env: Env, action: Action, subjects: Subjects): Promise<Charge | null> {
  const rules = (ratePolicy(env)[action] ?? []).filter((r) => subjects[r.by]);
  if (rules.length === 0) return null;
  const now = clock.now();
  const charged: { stub: ReturnType<typeof limiterObject>; windows: LimitWindow[] }[] = [];
  const seen: { rule: LimitRule; result: LimitResult }[] = [];
  for (const { name, rules: group, windows } of objectCharges(action, rules, subjects)) {
    const stub = limiterObject(env, name);
    const results = await stub.hitAll(windows, now);
    for (const [i, result] of results.entries()) seen.push({ rule: group[i]!, result });
    if (results.every((r) => r.allowed)) {
      charged.push({ stub, windows });
      continue;
    }
    await Promise.all(charged.map((g) => g.stub.refund(g.windows, now)));
    const refusing = seen.filter((s) => !s.result.allowed);
    // Report the refusing rule that frees up last, so Retry-After is honest.
    const worst = refusing.reduce((a, b) => (b.result.retryAfterMs > a.result.retryAfterMs ? b : a));
    return { allowed: false, ...worst, firstDenial: refusing.some((s) => s.result.firstDenial) };
  }
  // Admitted: report the rule closest to its limit (IETF draft-ietf-httpapi-ratelimit-headers).
  const tightest = seen.reduce((a, b) => (b.result.remaining < a.result.remaining ? b : a));
  return { allowed: true, ...tightest, firstDenial: false };
}

/**
 * Charges `action` for this request (see chargeRateLimit); throws 429 `rate_limited`
 * (Retry-After + RateLimit headers) when a rule refuses. The client IP defaults to
 * CF-Connecting-IP (src/auth/device.ts), keyed on its /64 for IPv6 with the /48 as the
 * "ip48" subject (src/guard/client-network.ts); callers name the other subjects.
 * Subjects are hashed: no raw email or IP becomes a Durable Object name.
 */
export async function enforceRateLimit(c: Context<AppEnv>, action: Action, given: Subjects = {}): Promise<void> {
  const network = clientNetwork(given.ip ?? clientIp(c.req.raw));
  const subjects = { ...given, ip: network.ip, ip48: given.ip48 ?? network.ip48 };
  const charge = await chargeRateLimit(c.env, action, subjects);
  if (!charge) return;
  const { rule, result } = charge;
  const policyName = `"${rule.by}-${rule.windowSeconds}s"`;
  const headers = {
    "ratelimit-policy": `${policyName};q=${rule.limit};w=${rule.windowSeconds}`,
    ratelimit: `${policyName};r=${result.remaining};t=${Math.ceil((charge.allowed ? result.resetMs : result.retryAfterMs) / 1000)}`,
  };
  if (!charge.allowed) {
    // One audit event per rule and subject per window: a flood costs one D1 write, not thousands.
    if (charge.firstDenial) {
      // Auditing must never turn a 429 into a 500 (e.g. a context without a request).
      try {
        audit(c, {
          type: "rate_limited",
          userId: rule.by === "account" ? subjects.account : null,
          sessionId: c.get("sessionId"),
          detail: { action, rule: `${rule.by}:${rule.limit}/${rule.windowSeconds}s` },
        });
      } catch (e) {
        console.error("[audit] rate_limited not recorded", e);
      }
    }
    rememberRefusal(action, subjects.ip, clock.now() + result.retryAfterMs, headers);
    throw new ApiError("rate_limited", { headers: { ...headers, "retry-after": String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) } });
  }
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
}
