// The Limiter Durable Object: one instance per scope key (e.g. "login:ip:203.0.113.9",
// "otp:email-verify:<hash>"), so load spreads over many objects and none is a hot spot.
// Every method is synchronous over the SQLite-backed `storage.kv`, so each call is
// atomic: no other request can interleave between the read and the write.
// KV could not do this: it has no compare-and-set and is only eventually consistent.
// Callers pass `now` so the object never reads a clock of its own.
import { DurableObject } from "cloudflare:workers";
import type { CodeCheck, CodeRules, LimitResult, LimitWindow, SignInAttempt, SignInRules } from "../model/limits";
import type { MfaAttempt, MfaChallenge } from "../model/mfa";

// Every stored entry carries `until`: after that moment it means nothing and the alarm drops it.
type Hits = { stamps: number[]; until: number; deniedAt?: number };
type SignIns = { failures: number; nextAt: number; refusedFor?: number; until: number };
type Failures = { count: number; until: number };
type Once = { until: number };
type Step = { step: number; until: number };
type Kept = { value: unknown; until: number };
type Mfa = MfaChallenge & { until: number };

/** Where one window's log lives; `scope` tells apart subjects that share an object (src/guard/rate-limit.ts). */
const windowKey = (w: LimitWindow) => `hits:${w.scope ? `${w.scope}:` : ""}${w.limit}:${w.windowMs}`;

export class Limiter extends DurableObject<Env> {
  /**
   * Sliding-window log: admits at most `limit` hits in any `windowMs`.
   * Exact, so a parallel burst of 4x the budget admits exactly the budget.
   */
  hit(limit: number, windowMs: number, now: number, cost = 1): LimitResult {
    const key = `hits:${limit}:${windowMs}`;
    const stored = this.ctx.storage.kv.get<Hits>(key);
    const recent = (stored?.stamps ?? []).filter((t) => t > now - windowMs);
    const allowed = recent.length + cost <= limit;
    if (allowed) for (let i = 0; i < cost; i++) recent.push(now);
    const deniedAt = stored?.deniedAt;
    const firstDenial = !allowed && !(deniedAt !== undefined && deniedAt > now - windowMs);
    this.put(key, {
      stamps: recent,
      until: (recent.at(-1) ?? now) + windowMs,
      ...(firstDenial ? { deniedAt: now } : deniedAt !== undefined ? { deniedAt } : {}),
    });
    const oldest = recent[0] ?? now;
    return {
      allowed,
      firstDenial,
      limit,
      remaining: Math.max(0, limit - recent.length),
      retryAfterMs: allowed ? 0 : Math.max(0, oldest + windowMs - now),
      resetMs: Math.max(0, (recent.at(-1) ?? now) + windowMs - now),
    };
  }

  /**
   * Every window of one subject at once, all or nothing: the hit is recorded in each
   * window only when every window admits it, so a refused request costs this subject
   * nothing (README "Abuse protection": refused requests are not charged).
   */
  hitAll(windows: LimitWindow[], now: number): LimitResult[] {
    const states = windows.map((w) => {
      const key = windowKey(w);
      const stored = this.ctx.storage.kv.get<Hits>(key);
      return { w, key, stored, recent: (stored?.stamps ?? []).filter((t) => t > now - w.windowMs) };
    });
    const allowed = states.every((s) => s.recent.length + 1 <= s.w.limit);
    return states.map(({ w, key, stored, recent }) => {
      if (allowed) recent.push(now);
      const refusing = !allowed && recent.length + 1 > w.limit;
      const deniedAt = stored?.deniedAt;
      const firstDenial = refusing && !(deniedAt !== undefined && deniedAt > now - w.windowMs);
      if (allowed || firstDenial)
        this.put(key, {
          stamps: recent,
          until: (recent.at(-1) ?? now) + w.windowMs,
          ...(firstDenial ? { deniedAt: now } : deniedAt !== undefined ? { deniedAt } : {}),
        });
      const oldest = recent[0] ?? now;
      return {
        allowed: allowed || !refusing,
        firstDenial,
        limit: w.limit,
        remaining: Math.max(0, w.limit - recent.length),
        retryAfterMs: refusing ? Math.max(0, oldest + w.windowMs - now) : 0,
        resetMs: Math.max(0, (recent.at(-1) ?? now) + w.windowMs - now),
      };
    });
  }

  /** Takes back one hit `hitAll` recorded at `now`: a rule of another subject refused that request. */
  refund(windows: LimitWindow[], now: number): void {
    for (const w of windows) {
      const key = windowKey(w);
      const stored = this.ctx.storage.kv.get<Hits>(key);
      const at = stored?.stamps.lastIndexOf(now) ?? -1;
      if (!stored || at < 0) continue;
      this.ctx.storage.kv.put(key, { ...stored, stamps: stored.stamps.filter((_, i) => i !== at) });
    }
  }

  /** Single-use fence: true exactly once per id until `expiresAt`. */
  redeem(id: string, expiresAt: number, now: number): boolean {
    const key = `once:${id}`;
    const seen = this.ctx.storage.kv.get<Once>(key);
    if (seen && seen.until > now) return false;
    this.put(key, { until: expiresAt });
    return true;
  }

  /** Forgets a `redeem` of `id`, so the next redeem succeeds again (a claim whose work failed). */
  release(id: string): void {
    this.ctx.storage.kv.delete(`once:${id}`);
  }

  /**
   * Keeps a small record until `until`; `recall` reads it back (any number of times, unlike `keep`/`take`). Unlike KV this is read
   * after write consistent everywhere (one object, one place), for records a request at
   * another location must see at once (src/storage/provider-messages.ts).
   */
  remember(key: string, value: unknown, until: number): void {
    this.put(`kept:${key}`, { value, until });
  }

  recall(key: string, now: number): unknown {
    const kept = this.ctx.storage.kv.get<Kept>(`kept:${key}`);
    return kept && kept.until > now ? kept.value : null;
  }

  /**
   * One attempt at a one-time code (this object is the scope of one target: an email, a
   * phone). Failures count against the challenge that was issued (`codeId`), so a new code
   * starts a fresh budget and a stranger's guesses cannot spend the next code's; and
   * against the target across purposes over `targetWindowMs`, so guessing cannot go on for
   * ever at `perCode` per code. `matches` is computed by the caller (hash compare); the
   * object decides atomically whether that attempt counts and whether the code is unused.
   */
  checkCode(codeId: string, matches: boolean, rules: CodeRules, expiresAt: number, now: number): CodeCheck {
    const failures = this.readFailures(codeId, now);
    const wrongs = (this.ctx.storage.kv.get<Hits>("code-wrongs")?.stamps ?? []).filter((t) => t > now - rules.targetWindowMs);
    if (failures.count >= rules.perCode || wrongs.length >= rules.perTarget) return { ok: false, reason: "too_many_attempts", attemptsLeft: 0 };
    if (!matches) {
      const count = failures.count + 1;
      this.put(`failures:${codeId}`, { count, until: expiresAt });
      this.put("code-wrongs", { stamps: [...wrongs, now], until: now + rules.targetWindowMs });
      return { ok: false, reason: "wrong", attemptsLeft: Math.max(0, Math.min(rules.perCode - count, rules.perTarget - wrongs.length - 1)) };
    }
    if (!this.redeem(`code:${codeId}`, expiresAt, now)) return { ok: false, reason: "used", attemptsLeft: rules.perCode - failures.count };
    this.ctx.storage.kv.delete(`failures:${codeId}`);
    return { ok: true };
  }

  /**
   * The 256-bit link of a challenge: single use, shared with its code (either spends both),
   * and never blocked by wrong codes — nobody guesses 256 bits, so failures say nothing.
   */
  redeemLink(codeId: string, expiresAt: number, now: number): boolean {
    return this.redeem(`code:${codeId}`, expiresAt, now);
  }

  /**
   * One password sign-in attempt for an account (this object is that account's scope).
   * Counted pessimistically as a failure BEFORE the password is checked, so a parallel
   * burst cannot slip past the threshold between check and count; a success then calls
   * `clearSignInFailures`. From `threshold` failures on, each next attempt waits
   * base * 2^(failures - threshold), capped; at `maxFailures` (NIST SP 800-63B-4 §3.2.2:
   * at most 100) nothing is checked until a success path clears the count or the record
   * lapses `memoryMs` after the last counted failure — never a permanent lock.
   * Refused attempts are not counted: they neither extend a delay nor the memory.
   */
  attemptSignIn(rules: SignInRules, now: number): SignInAttempt {
    const stored = this.ctx.storage.kv.get<SignIns>("signin");
    const s: SignIns = stored && stored.until > now ? stored : { failures: 0, nextAt: 0, until: 0 };
    const capped = s.failures >= rules.maxFailures;
    if (capped || now < s.nextAt) {
      const refusedFor = capped ? s.until : s.nextAt;
      if (s.refusedFor !== refusedFor) this.ctx.storage.kv.put("signin", { ...s, refusedFor });
      return { allowed: false, retryAfterMs: refusedFor - now, firstRefusal: s.refusedFor !== refusedFor, capped };
    }
    const failures = s.failures + 1;
    const over = failures - rules.threshold;
    const nextAt = over >= 0 ? now + Math.min(rules.maxDelayMs, rules.baseDelayMs * 2 ** Math.min(over, 30)) : 0;
    this.put("signin", { failures, nextAt, until: now + rules.memoryMs });
    return { allowed: true, failures, lockoutStarted: failures === rules.threshold };
  }

  /** A sign-in whose password was checked already (`right`), in one atomic call: src/auth/lockout.ts says why that is safe. */
  settleSignIn(right: boolean, rules: SignInRules, now: number): SignInAttempt {
    const attempt = this.attemptSignIn(rules, now);
    if (!attempt.allowed || !right) return attempt;
    this.clearSignInFailures();
    return { allowed: true, failures: 0, lockoutStarted: false };
  }

  clearSignInFailures(): void {
    this.ctx.storage.kv.delete("signin");
  }

  /**
   * TOTP (one instance per user): accepts the time step `step` only if it is later than
   * every step accepted before, so a code is never accepted twice (RFC 6238 §5.2) and
   * neither is an older one still inside the ±1-step window. `until`: when `step` can no
   * longer be inside any window.
   */
  acceptStep(step: number, until: number, now: number): boolean {
    const last = this.ctx.storage.kv.get<Step>("totp-step");
    if (last && last.until > now && step <= last.step) return false;
    this.put("totp-step", { step, until });
    return true;
  }

  /** Keeps a short-lived single-use value (a WebAuthn challenge) until `take` or `until`. */
  keep(value: unknown, until: number): void {
    this.put("kept", { value, until });
  }

  /** The kept value, exactly once: of parallel takes one gets it, the rest null. */
  take(now: number): unknown {
    const kept = this.ctx.storage.kv.get<Kept>("kept");
    if (!kept) return null;
    this.ctx.storage.kv.delete("kept");
    return kept.until > now ? kept.value : null;
  }

  /** A sign-in waiting for its second step (this instance is named after its mfaToken). */
  openMfa(challenge: MfaChallenge): void {
    this.put("mfa", { ...challenge, until: challenge.expiresAt });
  }

  /**
   * One attempt at the second step, counted BEFORE the factor is checked (as password
   * sign-in counts), so a parallel burst cannot get more than the budget of guesses. The
   * last attempt spends the challenge: after it, the sign-in starts again. Another
   * browser's attempt is refused without spending anything.
   */
  attemptMfa(bindingHash: string, now: number): MfaAttempt {
    const mfa = this.ctx.storage.kv.get<Mfa>("mfa");
    if (!mfa || mfa.until <= now || mfa.attemptsLeft <= 0) return { ok: false, reason: "invalid" };
    if (mfa.bindingHash !== bindingHash) return { ok: false, reason: "other_browser" };
    const next = { ...mfa, attemptsLeft: mfa.attemptsLeft - 1 };
    this.ctx.storage.kv.put("mfa", next);
    const { until: _u, ...challenge } = next;
    return { ok: true, challenge };
  }

  /** Whose pending second step this is (for this browser), without spending an attempt. */
  peekMfa(bindingHash: string, now: number): string | null {
    const mfa = this.ctx.storage.kv.get<Mfa>("mfa");
    return mfa && mfa.until > now && mfa.attemptsLeft > 0 && mfa.bindingHash === bindingHash ? mfa.userId : null;
  }

  /** The second step succeeded: true exactly once, and the mfaToken is dead afterwards. */
  completeMfa(now: number): boolean {
    const mfa = this.ctx.storage.kv.get<Mfa>("mfa");
    if (!mfa) return false;
    this.ctx.storage.kv.delete("mfa");
    return mfa.until > now;
  }

  /** Forget everything in this scope (e.g. after a successful sign-in). */
  clear(): void {
    this.ctx.storage.kv.delete("signin");
    this.ctx.storage.kv.delete("code-wrongs");
    for (const prefix of ["hits:", "failures:"]) for (const [key] of this.ctx.storage.kv.list({ prefix })) this.ctx.storage.kv.delete(key);
  }

  /** Drop everything this scope holds (the account it counts for was deleted). */
  async forget(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.alarmAt = undefined;
  }

  private readFailures(codeId: string, now: number): Failures {
    const f = this.ctx.storage.kv.get<Failures>(`failures:${codeId}`);
    return f && f.until > now ? f : { count: 0, until: 0 };
  }

  private put(key: string, value: Hits | Failures | Once | SignIns | Step | Kept | Mfa): void {
    this.ctx.storage.kv.put(key, value);
    if (this.alarmAt === undefined || value.until < this.alarmAt) {
      this.alarmAt = value.until;
      void this.ctx.storage.setAlarm(value.until + 1000);
    }
  }

  private alarmAt: number | undefined;

  // Objects clean up after themselves, so idle scopes cost no storage. Only entries
  // past their `until` go; anything still live re-arms the alarm.
  override async alarm(): Promise<void> {
    const now = Date.now();
    let next: number | undefined;
    for (const [key, value] of this.ctx.storage.kv.list<{ until: number }>()) {
      if (value.until <= now) this.ctx.storage.kv.delete(key);
      else next = Math.min(next ?? value.until, value.until);
    }
    this.alarmAt = next;
    if (next !== undefined) await this.ctx.storage.setAlarm(next + 1000);
  }
}
