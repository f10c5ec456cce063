// API calls by flow. The account-core routes are fixed by contract; the optional ones
// (codes, phone sign-up, social, sessions, activity, identities) are looked up in the
// OpenAPI document first so the pages for them only show when the routes exist.
import { api, hasRoute } from "./api";
import type { User } from "./session";

export type Tokens = { accessToken: string; expiresIn: number; user?: User };
export type Provider = { id: string; name: string };
export type Policy = { minLength: number; maxLength: number };

/** A registration's code and link open only that registration: keep its registrationToken (src/web/registration.ts). */
export const register = (v: { email: string; password: string; name: string }) =>
  api<{ registrationToken: string }>("/api/auth/register", {
    json: { email: v.email, password: v.password, ...(v.name.trim() ? { name: v.name.trim() } : {}) },
  });
export const verifyEmailCode = (registrationToken: string, code: string) => api<Tokens>("/api/auth/verify-email", { json: { registrationToken, code } });
export const verifyEmailToken = (registrationToken: string, token: string) => api<Tokens>("/api/auth/verify-email", { json: { registrationToken, token } });
export const resendVerification = (registrationToken: string) => api("/api/auth/resend-verification", { json: { registrationToken } });
export const login = (email: string, password: string) => api<Tokens>("/api/auth/login", { json: { email, password } });
export const forgotPassword = (email: string) => api("/api/auth/password/forgot", { json: { email } });
export const resetPassword = (body: { email?: string; code?: string; token?: string; password: string }) => api("/api/auth/password/reset", { json: body });
export const changePassword = (currentPassword: string, newPassword: string, keepOtherSessions: boolean) =>
  api("/api/me/password", { json: { currentPassword, newPassword, keepOtherSessions }, auth: true });

let policy: Promise<Policy> | undefined;
/** The server's password rules; the documented defaults if the route is missing. */
export function passwordPolicy(): Promise<Policy> {
  return (policy ??= api<Policy>("/api/auth/password/policy").then((r) => (r.ok && r.data.minLength ? r.data : { minLength: 15, maxLength: 256 })));
}

// ---- phones: the channels and countries this deployment offers (GET /api/auth/phone/options) ----
export type PhoneChannel = "sms" | "whatsapp" | "telegram";
export type PhoneOptions = { channels: PhoneChannel[]; allowedCountries: string[]; country: string | null };
const CHANNELS: readonly string[] = ["sms", "whatsapp", "telegram"];
let phoneOptionsAnswer: Promise<PhoneOptions> | undefined;
/** Asked once per page load; an older server without the route means SMS only, any country. */
export function phoneOptions(): Promise<PhoneOptions> {
  return (phoneOptionsAnswer ??= api<Partial<PhoneOptions>>("/api/auth/phone/options").then((r) => {
    const d = r.ok && r.data ? r.data : {};
    const channels = (Array.isArray(d.channels) ? d.channels : []).filter((c): c is PhoneChannel => CHANNELS.includes(c));
    const allowed = Array.isArray(d.allowedCountries) ? d.allowedCountries.filter((c) => typeof c === "string") : [];
    return { channels: channels.length ? channels : ["sms"], allowedCountries: allowed, country: typeof d.country === "string" ? d.country : null };
  }));
}

// ---- one-time codes by email or phone (README "Phones and one-time codes") ----
export type CodeTarget = { kind: "email"; email: string } | { kind: "phone"; phone: string; channel: PhoneChannel };
const locale = () => document.documentElement.lang || "en";
const targetBody = (to: CodeTarget) => (to.kind === "email" ? { email: to.email } : { phone: to.phone, channel: to.channel });
export const hasCodeSignIn = () => hasRoute("POST", "/api/auth/otp/send");
export const sendSignInCode = (to: CodeTarget) => api("/api/auth/otp/send", { json: { ...targetBody(to), locale: locale() } });
export const verifySignInCode = (to: CodeTarget, code: string) =>
  api<Tokens>("/api/auth/otp/verify", { json: to.kind === "email" ? { email: to.email, code } : { phone: to.phone, code } });
export const verifyMagicLink = (token: string) => api<Tokens>("/api/auth/otp/verify", { json: { token } });

// ---- phone sign-up: a server-side state machine keyed by a signupToken ----
export type SignupStep = "phone" | "verify-phone" | "email" | "verify-email" | "password";
export type SignupState = { signupToken: string; step: SignupStep; phone: string; email: string | null; expiresAt: string };
const signup = <T = SignupState>(step: string, body: object) => api<T>(`/api/auth/signup/phone/${step}`, { json: body });
export const hasPhoneSignUp = () => hasRoute("POST", "/api/auth/signup/phone/start");
export const startPhoneSignUp = (phone: string, channel: PhoneChannel) => signup("start", { phone, channel, locale: locale() });
export const resumePhoneSignUp = (signupToken: string) => signup("resume", { signupToken });
export const resendPhoneSignUpCode = (signupToken: string) => signup("resend", { signupToken });
export const verifyPhoneSignUpPhone = (signupToken: string, code: string) => signup("verify-phone", { signupToken, code });
export const setPhoneSignUpEmail = (signupToken: string, email: string) => signup("email", { signupToken, email });
export const verifyPhoneSignUpEmail = (signupToken: string, code: string) => signup("verify-email", { signupToken, code });
export const completePhoneSignUp = (signupToken: string, password: string) => signup<Tokens>("complete", { signupToken, ...(password ? { password } : {}) });
export const addPhone = (phone: string, channel: PhoneChannel) => api("/api/me/phone", { json: { phone, channel, locale: locale() }, auth: true });
export const verifyPhone = (phone: string, code: string) =>
  api<{ phone: string; verifiedAt: string | null }>("/api/me/phone/verify", { json: { phone, code }, auth: true });
export async function myPhone(): Promise<string | null> {
  const r = await api<{ phone: string | null }>("/api/me/phone", { auth: true });
  return r.ok ? r.data.phone : null;
}

// ---- social sign-in ----
export async function listProviders(): Promise<Provider[]> {
  const r = await api<unknown>("/api/auth/providers");
  if (!r.ok) return [];
  const list = Array.isArray(r.data) ? r.data : ((r.data as { providers?: unknown[] })?.providers ?? []);
  return list
    .map((p) => (typeof p === "string" ? { id: p, name: p } : (p as Partial<Provider>)))
    .filter((p): p is Provider => typeof p.id === "string" && /^[a-z0-9_-]+$/i.test(p.id))
    .map((p) => ({ id: p.id, name: p.name || p.id }));
}
/** The Worker redirects back to /oauth/done?returnTo=… (or /oauth/error?code=…) after the provider. */
export const oauthStartUrl = (provider: string) => `/api/auth/oauth/${encodeURIComponent(provider)}?returnTo=${encodeURIComponent("/dashboard")}`;

// ---- the signed-in user's sessions, activity and sign-in methods ----
export type SessionInfo = {
  id: string;
  current?: boolean;
  device?: string;
  ip?: string;
  city?: string | null;
  country?: string | null;
  method?: string;
  createdAt?: string;
  lastUsedAt?: string;
  amr?: string[];
};
export type ActivityEvent = {
  id?: string;
  type: string;
  at?: string;
  createdAt?: string | number;
  device?: string | null;
  ip?: string | null;
  city?: string | null;
  country?: string | null;
  reason?: string | null;
};
export type Identity = { id?: string; provider: string; email?: string | null; createdAt?: string | number };

export async function listSessions(): Promise<SessionInfo[] | null> {
  const r = await api<unknown>("/api/me/sessions", { auth: true });
  if (!r.ok) return null;
  return Array.isArray(r.data) ? (r.data as SessionInfo[]) : ((r.data as { sessions?: SessionInfo[] }).sessions ?? []);
}
export const endSession = (id: string) => api(`/api/me/sessions/${encodeURIComponent(id)}`, { method: "DELETE", auth: true });
export const endOtherSessions = () => api("/api/me/sessions", { method: "DELETE", auth: true });

export async function listActivity(cursor?: string): Promise<{ events: ActivityEvent[]; nextCursor?: string | null } | null> {
  const r = await api<unknown>(`/api/me/activity${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { auth: true });
  if (!r.ok) return null;
  const d = r.data as { events?: ActivityEvent[]; items?: ActivityEvent[]; activity?: ActivityEvent[]; nextCursor?: string | null; cursor?: string | null };
  return { events: d.events ?? d.items ?? d.activity ?? [], nextCursor: d.nextCursor ?? d.cursor ?? null };
}

export async function listIdentities(): Promise<{ identities: Identity[]; hasPassword: boolean } | null> {
  const r = await api<unknown>("/api/me/identities", { auth: true });
  if (!r.ok) return null;
  if (Array.isArray(r.data)) return { identities: r.data as Identity[], hasPassword: false };
  const d = r.data as { identities?: Identity[]; hasPassword?: boolean };
  return { identities: d.identities ?? [], hasPassword: d.hasPassword === true };
}
export const startLinking = (provider: string) =>
  api<{ authorizationUrl: string }>(`/api/me/identities/${encodeURIComponent(provider)}`, { json: { returnTo: "/settings/security" }, auth: true });
export const unlinkIdentity = (id: string) => api(`/api/me/identities/${encodeURIComponent(id)}`, { method: "DELETE", auth: true });
