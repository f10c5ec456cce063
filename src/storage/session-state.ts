// The edge read model of sessions: each session's state (live or ended, and until when)
// published to KV by its SessionFence, so a verifier far from the object can check
// revocation with a KV read at its own location (RPC `checkRevocation: "edge"`).
// The SessionFence stays the authority (rotation, revocation: KV has no compare-and-set);
// this copy lags it by KV's propagation, about 60 s (README "Use from another Worker").
// A missing entry means "ask the SessionFence", never "live": sessions that began before
// this existed, and reads that race a fresh sign-in, still get the strong answer.
import { kvKeys, kvTtl } from "./kv";

export type EdgeSessionState = { live: boolean; expiresAt: number };

/** How long an "ended" entry is kept: longer than any access token lives (at most 3600 s). */
const ENDED_TTL_SECONDS = 2 * 3600;
/** How long an edge location may cache what it read (KV's minimum cacheTtl is 60 s). */
const EDGE_CACHE_SECONDS = 60;

export async function publishSessionState(env: Env, userId: string, sessionId: string, state: EdgeSessionState, now: number): Promise<void> {
  const ttl = state.live ? (state.expiresAt - now) / 1000 : ENDED_TTL_SECONDS;
  await env.KV.put(kvKeys.sessionState(userId, sessionId), JSON.stringify(state), { expirationTtl: kvTtl(ttl) });
}

export function readSessionState(env: Env, userId: string, sessionId: string): Promise<EdgeSessionState | null> {
  return env.KV.get<EdgeSessionState>(kvKeys.sessionState(userId, sessionId), { type: "json", cacheTtl: EDGE_CACHE_SECONDS });
}

/** The account is being deleted (SessionFence.erase): its edge copies go with it. */
export async function forgetSessionState(env: Env, userId: string, sessionId: string): Promise<void> {
  await env.KV.delete(kvKeys.sessionState(userId, sessionId));
}
