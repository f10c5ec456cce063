// Answers of the Limiter object (rate limits, code budgets, sign-in lock-out), shared by
// the object and its callers. A leaf module: no imports.

export type LimitResult = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the next request would be admitted (0 when allowed). */
  retryAfterMs: number;
  /** Milliseconds until the window is fully clear. */
  resetMs: number;
  /** First refusal in this window: worth one audit event; the rest of a flood is not. */
  firstDenial: boolean;
};

/**
 * One window of a rate-limit rule: at most `limit` hits in any `windowMs`. `scope` names
 * the subject when one object counts for more than one (a /64 inside its /48's object).
 */
export type LimitWindow = { limit: number; windowMs: number; scope?: string };

/** Lockout rules for failed sign-ins (README "Abuse protection"). */
export type SignInRules = { threshold: number; baseDelayMs: number; maxDelayMs: number; maxFailures: number; memoryMs: number };

export type SignInAttempt =
  | { allowed: true; failures: number; lockoutStarted: boolean }
  | { allowed: false; retryAfterMs: number; firstRefusal: boolean; capped: boolean };

/** Wrong-code budgets: per issued code, and per target across purposes over a window. */
export type CodeRules = { perCode: number; perTarget: number; targetWindowMs: number };

export type CodeCheck = { ok: true } | { ok: false; reason: "wrong" | "used" | "too_many_attempts"; attemptsLeft: number };
