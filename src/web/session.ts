// The signed-in state. The access token lives only in this module's memory (never in
// storage a script could read later); the refresh token is an HttpOnly cookie we never
// see. A refresh runs shortly before the access token expires and once after a reload.
// Refreshes are serialised across tabs with the Web Locks API: the server rotates the
// refresh token and treats a replayed one as theft, so two tabs must not race.
import type { PublicUser, TokenResponse } from "../contract/auth";
import type { MeResponse } from "../contract/me";
import { signal } from "./signal";

/**
 * The signed-in user: the public part from the sign-in answer at once, the rest of
 * GET /api/me (isPlatformAdmin, avatarUrl, the editable profile, impersonatedBy) once it
 * has answered.
 */
export type User = PublicUser & Partial<MeResponse>;

let token: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<boolean> | null = null;

export const currentUser = signal<User | null>(null);
/** A step the server says this session must finish first ("phone"), or null. */
export const pendingStep = signal<string | null>(null);
/** "unknown" until the first refresh after load has answered. */
export const authState = signal<"unknown" | "signed-in" | "signed-out">("unknown");

export const accessToken = () => token;

/** Any answer with an access token: sign-in, refresh, switch-org, impersonation. */
type Tokens = Pick<TokenResponse, "accessToken" | "expiresIn" | "user" | "pending">;

export async function acceptTokens(body: Tokens): Promise<void> {
  token = body.accessToken;
  pendingStep.set(typeof body.pending === "string" ? body.pending : null);
  clearTimeout(timer);
  // Refresh a minute early (or at 80% for short lifetimes) so requests never carry a stale token.
  const lead = Math.min(60, body.expiresIn * 0.2);
  timer = setTimeout(() => void refreshSession(), Math.max(5, body.expiresIn - lead) * 1000);
  // Sign-in answers carry the public profile; GET /api/me adds what only the user sees
  // (isPlatformAdmin, impersonatedBy), fetched after so the first paint does not wait.
  if (body.user) {
    currentUser.set(body.user);
    void loadUser();
  } else await loadUser();
  authState.set("signed-in");
}

async function loadUser(): Promise<void> {
  const res = await fetch("/api/me", { headers: { authorization: `Bearer ${token}` }, cache: "no-store" }).catch(() => null);
  if (res?.ok) currentUser.set((await res.json()) as MeResponse);
  else await res?.body?.cancel();
}

export function forgetSession(): void {
  token = null;
  clearTimeout(timer);
  pendingStep.set(null);
  currentUser.set(null);
  authState.set("signed-out");
}

async function refreshOnce(): Promise<boolean> {
  const res = await fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin", cache: "no-store" }).catch(() => null);
  if (!res) {
    // Offline: keep what we have and try again when the network returns.
    if (authState.get() === "unknown") authState.set(token ? "signed-in" : "signed-out");
    addEventListener("online", () => void refreshSession(), { once: true });
    return false;
  }
  if (!res.ok) {
    await res.body?.cancel(); // release the connection; the problem body adds nothing here
    forgetSession();
    return false;
  }
  await acceptTokens((await res.json()) as TokenResponse);
  return true;
}

export function refreshSession(): Promise<boolean> {
  if (inflight) return inflight;
  const run = (): Promise<boolean> => refreshOnce();
  const p = (navigator.locks ? (navigator.locks.request("edge-auth-refresh", run) as unknown as Promise<boolean>) : run()).finally(() => (inflight = null));
  inflight = p;
  return p;
}

export async function signOut(): Promise<void> {
  const res = await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" }).catch(() => null);
  await res?.body?.cancel();
  forgetSession();
}
