// Who the provider says the user is. OIDC providers: from the verified id_token's claims.
// Providers without OIDC here (GitHub, Facebook, LinkedIn) are asked through their
// user-info APIs with the access token, which is then dropped (never stored).
import type { JWTPayload } from "jose";
import type { IdTokenRules, ProviderId } from "./providers";

export type ProviderProfile = {
  /** The provider's stable user id: the identity key, never the email. */
  subject: string;
  email: string | null;
  /** Only what the provider asserts; an unverified email is never used to link. */
  emailVerified: boolean;
  name: string | null;
};

const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]{2,}$/u;

function cleanEmail(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const email = value.normalize("NFKC").trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : null;
}

function cleanName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const name = value
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .trim()
    .slice(0, 100);
  return name || null;
}

export function profileFromClaims(claims: JWTPayload & Record<string, unknown>, rules: IdTokenRules): ProviderProfile {
  const email = cleanEmail(claims.email);
  const given = [claims.given_name, claims.family_name].filter((s) => typeof s === "string").join(" ");
  return { subject: claims.sub!, email, emailVerified: email !== null && rules.emailVerified(claims), name: cleanName(claims.name) ?? cleanName(given) };
}

export type ProfileResult = { ok: true; profile: ProviderProfile } | { ok: false; reason: string };

async function getJson(url: string, accessToken: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json", "user-agent": "edge-auth", ...headers } });
  if (!res.ok) throw new Error(`${new URL(url).pathname} answered ${res.status}`);
  return res.json();
}

const GITHUB_HEADERS = { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" };

async function githubProfile(accessToken: string): Promise<ProviderProfile | null> {
  const user = (await getJson("https://api.github.com/user", accessToken, GITHUB_HEADERS)) as { id?: unknown; login?: unknown; name?: unknown };
  if (typeof user?.id !== "number" && typeof user?.id !== "string") return null;
  // The public profile email may be unverified or hidden: ask for the verified primary one.
  const emails = (await getJson("https://api.github.com/user/emails", accessToken, GITHUB_HEADERS)) as {
    email?: unknown;
    primary?: unknown;
    verified?: unknown;
  }[];
  const primary = Array.isArray(emails) ? emails.find((e) => e?.primary === true && e?.verified === true) : undefined;
  const email = cleanEmail(primary?.email);
  return { subject: String(user.id), email, emailVerified: email !== null, name: cleanName(user.name) ?? cleanName(user.login) };
}

async function facebookProfile(accessToken: string): Promise<ProviderProfile | null> {
  const me = (await getJson("https://graph.facebook.com/v16.0/me?fields=id,name,email", accessToken)) as { id?: unknown; name?: unknown; email?: unknown };
  if (typeof me?.id !== "string") return null;
  // The Graph API gives no verification flag for `email`: treated as unverified, so it
  // is kept on the identity but never used to link or to claim an account's address.
  return { subject: me.id, email: cleanEmail(me.email), emailVerified: false, name: cleanName(me.name) };
}

async function linkedinProfile(accessToken: string): Promise<ProviderProfile | null> {
  const info = (await getJson("https://api.linkedin.com/v2/userinfo", accessToken)) as Record<string, unknown>;
  if (typeof info?.sub !== "string") return null;
  const email = cleanEmail(info.email);
  return {
    subject: info.sub,
    email,
    emailVerified: email !== null && (info.email_verified === true || info.email_verified === "true"),
    name: cleanName(info.name),
  };
}

const fetchers: Partial<Record<ProviderId, (accessToken: string) => Promise<ProviderProfile | null>>> = {
  github: githubProfile,
  facebook: facebookProfile,
  linkedin: linkedinProfile,
};

export async function fetchProfile(provider: ProviderId, accessToken: string): Promise<ProfileResult> {
  const fetcher = fetchers[provider];
  if (!fetcher) return { ok: false, reason: "no_profile_source" };
  try {
    const profile = await fetcher(accessToken);
    return profile && profile.subject.length <= 255 ? { ok: true, profile } : { ok: false, reason: "profile_malformed" };
  } catch (e) {
    return { ok: false, reason: `profile_unavailable: ${(e as Error).message}`.slice(0, 200) };
  }
}
