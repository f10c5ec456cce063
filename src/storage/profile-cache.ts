// The signed-in user's profile for GET /api/me without a D1 round trip on every call:
// that route is the hottest authenticated read, and a D1 query costs more than verifying
// the access token itself (README "Test coverage and benchmarks"). A short-lived cache
// in this isolate's memory, so a hit does no I/O at all. (A leaf module: users.ts reads
// through it, and anything that writes a user invalidates it.)
//
// Staleness it allows: an isolate serves what it read for at most PROFILE_CACHE_TTL_MS.
// Code that changes what the profile shows (name, email, verification, disabling,
// deletion) MUST call invalidateProfile(env, userId) after the write: the isolate that
// made the change then answers fresh at once; other isolates within the TTL.
// Security decisions never read this cache: routes that check the session or change
// security state read D1 (or the SessionFence) directly.
import { clock } from "../clock";

export const PROFILE_CACHE_TTL_MS = 30_000;
/** Bounded so a flood of distinct users cannot grow the isolate's memory (~300 B each). */
const MAX_ENTRIES = 5_000;

const entries = new Map<string, { value: unknown; expiresAt: number }>();
// Bumped by every invalidation: a read that started before one must not refill the cache
// with what it read (it may be the old profile).
let generation = 0;

/** `load(userId)` at most once per PROFILE_CACHE_TTL_MS per user in this isolate. */
export async function readThroughProfileCache<T>(userId: string, load: () => Promise<T>): Promise<T> {
  const now = clock.now();
  const hit = entries.get(userId);
  if (hit && hit.expiresAt > now) return hit.value as T;
  const startedAt = generation;
  const value = await load();
  if (generation === startedAt) {
    entries.delete(userId);
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(userId, { value, expiresAt: now + PROFILE_CACHE_TTL_MS });
  }
  return value;
}

/** Forget a user's cached profile after changing it. `env` keeps the door open to a shared layer. */
export function invalidateProfile(_env: Env, userId: string): void {
  generation++;
  entries.delete(userId);
}
