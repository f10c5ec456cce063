// API calls by flow. The account-core routes are fixed by contract; the optional ones
// (codes, phone sign-up, social, sessions, activity, identities) are looked up in the
// OpenAPI document first so the pages for them only show when the routes exist.
import type { PasswordPolicy, PhoneChannel, PhoneOptions, PhoneSignupState, ProvidersResponse, Registered, SignInResponse } from "../contract/auth";
import type { ActivityPage, IdentitiesResponse, LinkStarted, MyPhone, PhoneVerified, SessionItem, SessionsResponse } from "../contract/me";
import { api, hasRoute } from "./api";

export type { PhoneChannel, PhoneOptions };
export type Provider = ProvidersResponse["providers"][number];

/** A registration's code and link open only that registration: keep its registrationToken (src/web/registration.ts). */
export const register = (v: { email: string; password: string; name: string }) =>
  api<Registered>("/api/auth/register", {
    json: { email: v.email, password: v.password, ...(v.name.trim() ? { name: v.name.trim() } : {}) },
  });
export const verifyEmailCode = (registrationToken: string, code: string) =>
  api<SignInResponse>("/api/auth/verify-email", { json: { registrationToken, code } });
export const verifyEmailToken = (registrationToken: string, token: string) =>
  api<SignInResponse>("/api/auth/verify-email", { json: { registrationToken, token } });
export const resendVerification = (registrationToken: string) => api("/api/auth/resend-verification", { json: { registrationToken } });
export const login = (email: string, password: string) => api<SignInResponse>("/api/auth/login", { json: { email, password } });
export const forgotPassword = (email: string) => api("/api/auth/password/forgot", { json: { email } });
export const resetPassword = (body: { email?: string; code?: string; token?: string; password: string }) => api("/api/auth/password/reset", { json: body });
export const changePassword = (currentPassword: string, newPassword: string, keepOtherSessions: boolean) =>
  api("/api/me/password", { json: { currentPassword, newPassword, keepOtherSessions }, auth: true });

let policy: Promise<PasswordPolicy> | undefined;
/** The server's password rules; the documented defaults if the route is missing. */
export function passwordPolicy(): Promise<PasswordPolicy> {
  policy ??= api<PasswordPolicy>("/api/auth/password/policy").then((r) => (r.ok ? r.data : { minLength: 15, maxLength: 256 }));
  return policy;
}

// ---- phones: the channels and countries this deployment offers (GET /api/auth/phone/options) ----
let phoneOptionsAnswer: Promise<PhoneOptions> | undefined;
/** Asked once per page load; an older server without the route means SMS only, any country. */
export function phoneOptions(): Promise<PhoneOptions> {
  phoneOptionsAnswer ??= api<PhoneOptions>("/api/auth/phone/options").then((r) =>
    r.ok && r.data.channels.length
      ? r.data
      : { channels: ["sms"], allowedCountries: r.ok ? r.data.allowedCountries : [], country: r.ok ? r.data.country : null },
  );
  return phoneOptionsAnswer;
}

// ---- one-time codes by email or phone (README "Phones and one-time codes") ----
export type CodeTarget = { kind: "email"; email: string } | { kind: "phone"; phone: string; channel: PhoneChannel };
const locale = () => document.documentElement.lang || "en";
const targetBody = (to: CodeTarget) => (to.kind === "email" ? { email: to.email } : { phone: to.phone, channel: to.channel });
export const hasCodeSignIn = () => hasRoute("POST", "/api/auth/otp/send");
export const sendSignInCode = (to: CodeTarget) => api("/api/auth/otp/send", { json: { ...targetBody(to), locale: locale() } });
export const verifySignInCode = (to: CodeTarget, code: string) =>
  api<SignInResponse>("/api/auth/otp/verify", { json: to.kind === "email" ? { email: to.email, code } : { phone: to.phone, code } });
export const verifyMagicLink = (token: string) => api<SignInResponse>("/api/auth/otp/verify", { json: { token } });

// ---- phone sign-up: a server-side state machine keyed by a signupToken ----
const signup = <T = PhoneSignupState>(step: string, body: object) => api<T>(`/api/auth/signup/phone/${step}`, { json: body });
export const hasPhoneSignUp = () => hasRoute("POST", "/api/auth/signup/phone/start");
export const startPhoneSignUp = (phone: string, channel: PhoneChannel) => signup("start", { phone, channel, locale: locale() });
export const resumePhoneSignUp = (signupToken: string) => signup("resume", { signupToken });
export const resendPhoneSignUpCode = (signupToken: string) => signup("resend", { signupToken });
export const verifyPhoneSignUpPhone = (signupToken: string, code: string) => signup("verify-phone", { signupToken, code });
export const setPhoneSignUpEmail = (signupToken: string, email: string) => signup("email", { signupToken, email });
export const verifyPhoneSignUpEmail = (signupToken: string, code: string) => signup("verify-email", { signupToken, code });
export const completePhoneSignUp = (signupToken: string, password: string) =>
  signup<SignInResponse>("complete", { signupToken, ...(password ? { password } : {}) });
export const addPhone = (phone: string, channel: PhoneChannel) => api("/api/me/phone", { json: { phone, channel, locale: locale() }, auth: true });
export const verifyPhone = (phone: string, code: string) => api<PhoneVerified>("/api/me/phone/verify", { json: { phone, code }, auth: true });
export async function myPhone(): Promise<string | null> {
  const r = await api<MyPhone>("/api/me/phone", { auth: true });
  return r.ok ? r.data.phone : null;
}

// ---- social sign-in ----
export async function listProviders(): Promise<Provider[]> {
  const r = await api<ProvidersResponse>("/api/auth/providers");
  return r.ok ? r.data.providers : [];
}
/** The Worker redirects back to /oauth/done?returnTo=… (or /oauth/error?code=…) after the provider. */
export const oauthStartUrl = (provider: string) => `/api/auth/oauth/${encodeURIComponent(provider)}?returnTo=${encodeURIComponent("/dashboard")}`;

// ---- the signed-in user's sessions, activity and sign-in methods ----
export async function listSessions(): Promise<SessionItem[] | null> {
  const r = await api<SessionsResponse>("/api/me/sessions", { auth: true });
  return r.ok ? r.data.sessions : null;
}
export const endSession = (id: string) => api(`/api/me/sessions/${encodeURIComponent(id)}`, { method: "DELETE", auth: true });
export const endOtherSessions = () => api("/api/me/sessions", { method: "DELETE", auth: true });

export async function listActivity(cursor?: string): Promise<ActivityPage | null> {
  const r = await api<ActivityPage>(`/api/me/activity${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { auth: true });
  return r.ok ? r.data : null;
}

export async function listIdentities(): Promise<IdentitiesResponse | null> {
  const r = await api<IdentitiesResponse>("/api/me/identities", { auth: true });
  return r.ok ? r.data : null;
}
export const startLinking = (provider: string) =>
  api<LinkStarted>(`/api/me/identities/${encodeURIComponent(provider)}`, { json: { returnTo: "/settings/security" }, auth: true });
export const unlinkIdentity = (id: string) => api(`/api/me/identities/${encodeURIComponent(id)}`, { method: "DELETE", auth: true });
