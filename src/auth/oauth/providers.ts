// The social sign-in providers: the ONLY module that imports arctic, so replacing the
// library later touches this file alone. arctic builds authorization URLs and performs
// the code exchange; everything it leaves out is done by us elsewhere: id_tokens are
// verified with jose (id-token.ts; arctic's decodeIdToken checks no signature) and
// non-OIDC providers are read through their user-info APIs (profiles.ts).
import { Apple, Facebook, LinkedIn, OAuth2Client, CodeChallengeMethod, generateCodeVerifier, generateState } from "arctic";
import { config } from "../../config";
import { discoverIssuer } from "./discovery";

export const PROVIDER_IDS = ["google", "github", "microsoft", "apple", "facebook", "linkedin", "auth0", "oidc"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** What the issuer must have signed: checked by id-token.ts. */
export type IdTokenRules = {
  /** Exact `iss`, or a check for multi-tenant issuers (Microsoft "common"). */
  issuer: string | ((claims: Record<string, unknown>) => boolean);
  jwksUri: string;
  audience: string;
  /** How the provider says an email is verified (Microsoft's `email` claim is not). */
  emailVerified: (claims: Record<string, unknown>) => boolean;
};

export type ExchangedTokens = { accessToken: string; idToken: string | null };

export type OAuthProvider = {
  id: ProviderId;
  label: string;
  /** True when the authorization request carries a PKCE S256 challenge (RFC 7636). */
  pkce: boolean;
  /** Apple posts the answer back (response_mode=form_post) when name/email are asked for. */
  formPost: boolean;
  authorizationUrl(state: string, codeVerifier: string, nonce: string): Promise<URL>;
  exchangeCode(code: string, codeVerifier: string): Promise<ExchangedTokens>;
  /** Present for OpenID Connect providers: the profile comes from the verified id_token. */
  idTokenRules?: () => Promise<IdTokenRules>;
};

export const newState = generateState;
export const newCodeVerifier = generateCodeVerifier;

/** The exact redirect URI registered at every provider (no wildcards, no query). */
export function callbackUrl(env: Env, id: ProviderId): string {
  return `${config(env).publicUrl}/api/auth/oauth/${id}/callback`;
}

const OIDC_SCOPES = ["openid", "email", "profile"];
const withNonce = (url: URL, nonce: string) => {
  url.searchParams.set("nonce", nonce);
  return url;
};
const tokensOf = (t: { accessToken(): string; data: object }): ExchangedTokens => {
  const idToken = (t.data as { id_token?: unknown }).id_token;
  return { accessToken: t.accessToken(), idToken: typeof idToken === "string" ? idToken : null };
};
const claimTrue = (v: unknown) => v === true || v === "true"; // Apple sends "true" as a string.
const standardEmailVerified = (claims: Record<string, unknown>) => claimTrue(claims.email_verified);
const has = (...values: (string | undefined)[]) => values.every((v) => typeof v === "string" && v.trim() !== "");

/**
 * arctic's generic client with a provider's endpoints: PKCE S256, client_secret_basic (the
 * same requests arctic's Google / MicrosoftEntraId / Auth0 classes send, in less code).
 * With scopes "openid ..." the OIDC nonce is added.
 */
function pkceClient(clientId: string, secret: string | null, redirectUri: string, authorizeUrl: string, tokenUrl: string, scopes = OIDC_SCOPES) {
  const client = new OAuth2Client(clientId, secret, redirectUri);
  return {
    authorizationUrl: async (state: string, verifier: string, nonce: string) => {
      const url = client.createAuthorizationURLWithPKCE(authorizeUrl, state, CodeChallengeMethod.S256, verifier, scopes);
      return scopes.includes("openid") ? withNonce(url, nonce) : url;
    },
    exchangeCode: async (code: string, verifier: string) => tokensOf(await client.validateAuthorizationCode(tokenUrl, code, verifier)),
  };
}

type Factory = (env: Env, redirectUri: string) => OAuthProvider | null;

const factories: Record<ProviderId, Factory> = {
  google(env, redirectUri) {
    if (!has(env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET)) return null;
    const google = pkceClient(
      env.GOOGLE_CLIENT_ID!,
      env.GOOGLE_CLIENT_SECRET!,
      redirectUri,
      "https://accounts.google.com/o/oauth2/v2/auth",
      "https://oauth2.googleapis.com/token",
    );
    return {
      id: "google",
      label: "Google",
      pkce: true,
      formPost: false,
      ...google,
      idTokenRules: async () => ({
        // Google documents both spellings of its issuer.
        issuer: (c) => c.iss === "https://accounts.google.com" || c.iss === "accounts.google.com",
        jwksUri: "https://www.googleapis.com/oauth2/v3/certs",
        audience: env.GOOGLE_CLIENT_ID!,
        emailVerified: standardEmailVerified,
      }),
    };
  },

  github(env, redirectUri) {
    if (!has(env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET)) return null;
    // arctic's GitHub class sends no PKCE; GitHub accepts it, so the generic client is used
    // with GitHub's endpoints (client_secret_basic, as arctic's GitHub class does).
    const github = pkceClient(
      env.GITHUB_CLIENT_ID!,
      env.GITHUB_CLIENT_SECRET!,
      redirectUri,
      "https://github.com/login/oauth/authorize",
      "https://github.com/login/oauth/access_token",
      ["read:user", "user:email"],
    );
    return {
      id: "github",
      label: "GitHub",
      pkce: true,
      formPost: false,
      ...github,
    };
  },

  microsoft(env, redirectUri) {
    if (!has(env.MICROSOFT_CLIENT_ID, env.MICROSOFT_CLIENT_SECRET)) return null;
    const tenant = env.MICROSOFT_TENANT?.trim() || "common";
    const base = `https://login.microsoftonline.com/${tenant}`;
    const entra = pkceClient(env.MICROSOFT_CLIENT_ID!, env.MICROSOFT_CLIENT_SECRET!, redirectUri, `${base}/oauth2/v2.0/authorize`, `${base}/oauth2/v2.0/token`);
    const multiTenant = ["common", "organizations", "consumers"].includes(tenant);
    return {
      id: "microsoft",
      label: "Microsoft",
      pkce: true,
      formPost: false,
      ...entra,
      idTokenRules: async () => ({
        // Multi-tenant apps get tokens whose issuer names the user's own tenant (`tid`).
        issuer: multiTenant
          ? (c) => typeof c.tid === "string" && /^[0-9a-f-]{36}$/.test(c.tid) && c.iss === `https://login.microsoftonline.com/${c.tid}/v2.0`
          : `https://login.microsoftonline.com/${tenant}/v2.0`,
        jwksUri: `${base}/discovery/v2.0/keys`,
        audience: env.MICROSOFT_CLIENT_ID!,
        // Entra's `email` claim is user-editable and unverified ("nOAuth"): only the optional
        // `xms_edov` claim (email domain owner verified) makes it usable for linking.
        emailVerified: (c) => claimTrue(c.xms_edov),
      }),
    };
  },

  apple(env, redirectUri) {
    if (!has(env.APPLE_CLIENT_ID, env.APPLE_TEAM_ID, env.APPLE_KEY_ID, env.APPLE_PRIVATE_KEY)) return null;
    const apple = new Apple(env.APPLE_CLIENT_ID!, env.APPLE_TEAM_ID!, env.APPLE_KEY_ID!, pkcs8FromPem(env.APPLE_PRIVATE_KEY!), redirectUri);
    return {
      id: "apple",
      label: "Apple",
      pkce: false,
      formPost: true,
      authorizationUrl: async (state, _verifier, nonce) => {
        const url = withNonce(apple.createAuthorizationURL(state, ["name", "email"]), nonce);
        // Apple requires form_post whenever name or email are requested.
        url.searchParams.set("response_mode", "form_post");
        return url;
      },
      exchangeCode: async (code) => tokensOf(await apple.validateAuthorizationCode(code)),
      idTokenRules: async () => ({
        issuer: "https://appleid.apple.com",
        jwksUri: "https://appleid.apple.com/auth/keys",
        audience: env.APPLE_CLIENT_ID!,
        emailVerified: standardEmailVerified,
      }),
    };
  },

  facebook(env, redirectUri) {
    if (!has(env.FACEBOOK_CLIENT_ID, env.FACEBOOK_CLIENT_SECRET)) return null;
    const facebook = new Facebook(env.FACEBOOK_CLIENT_ID!, env.FACEBOOK_CLIENT_SECRET!, redirectUri);
    return {
      id: "facebook",
      label: "Facebook",
      pkce: false,
      formPost: false,
      authorizationUrl: async (state) => facebook.createAuthorizationURL(state, ["email", "public_profile"]),
      exchangeCode: async (code) => tokensOf(await facebook.validateAuthorizationCode(code)),
    };
  },

  linkedin(env, redirectUri) {
    if (!has(env.LINKEDIN_CLIENT_ID, env.LINKEDIN_CLIENT_SECRET)) return null;
    const linkedin = new LinkedIn(env.LINKEDIN_CLIENT_ID!, env.LINKEDIN_CLIENT_SECRET!, redirectUri);
    return {
      id: "linkedin",
      label: "LinkedIn",
      pkce: false,
      formPost: false,
      // "Sign In with LinkedIn using OpenID Connect": the profile is read from /v2/userinfo.
      authorizationUrl: async (state) => linkedin.createAuthorizationURL(state, OIDC_SCOPES),
      exchangeCode: async (code) => tokensOf(await linkedin.validateAuthorizationCode(code)),
    };
  },

  auth0(env, redirectUri) {
    if (!has(env.AUTH0_DOMAIN, env.AUTH0_CLIENT_ID, env.AUTH0_CLIENT_SECRET)) return null;
    const domain = env
      .AUTH0_DOMAIN!.trim()
      .replace(/^https:\/\//, "")
      .replace(/\/+$/, "");
    const auth0 = pkceClient(env.AUTH0_CLIENT_ID!, env.AUTH0_CLIENT_SECRET!, redirectUri, `https://${domain}/authorize`, `https://${domain}/oauth/token`);
    return {
      id: "auth0",
      label: "Auth0",
      pkce: true,
      formPost: false,
      ...auth0,
      idTokenRules: async () => ({
        issuer: `https://${domain}/`,
        jwksUri: `https://${domain}/.well-known/jwks.json`,
        audience: env.AUTH0_CLIENT_ID!,
        emailVerified: standardEmailVerified,
      }),
    };
  },

  oidc(env, redirectUri) {
    if (!has(env.OIDC_ISSUER, env.OIDC_CLIENT_ID)) return null;
    // A public client (no secret) is allowed: PKCE protects the code exchange.
    const scopes = env.OIDC_SCOPES?.trim() ? env.OIDC_SCOPES.trim().split(/\s+/) : OIDC_SCOPES;
    const discover = () => discoverIssuer(env, env.OIDC_ISSUER!.trim());
    const client = async () => {
      const doc = await discover();
      return pkceClient(env.OIDC_CLIENT_ID!, env.OIDC_CLIENT_SECRET?.trim() || null, redirectUri, doc.authorization_endpoint, doc.token_endpoint, scopes);
    };
    return {
      id: "oidc",
      label: env.OIDC_NAME?.trim() || "Single sign-on",
      pkce: true,
      formPost: false,
      authorizationUrl: async (state, verifier, nonce) => (await client()).authorizationUrl(state, verifier, nonce),
      exchangeCode: async (code, verifier) => (await client()).exchangeCode(code, verifier),
      idTokenRules: async () => {
        const doc = await discover();
        return { issuer: doc.issuer, jwksUri: doc.jwks_uri, audience: env.OIDC_CLIENT_ID!, emailVerified: standardEmailVerified };
      },
    };
  },
};

function pkcs8FromPem(pem: string): Uint8Array {
  const base64 = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

/** The provider if its credentials are configured; null otherwise (or for unknown names). */
export function findProvider(env: Env, id: string): OAuthProvider | null {
  if (!isProviderId(id)) return null;
  return factories[id](env, callbackUrl(env, id));
}

export function configuredProviders(env: Env): OAuthProvider[] {
  return PROVIDER_IDS.map((id) => findProvider(env, id)).filter((p): p is OAuthProvider => p !== null);
}

/** The provider's display name for messages ("GitHub"); its id when it is no longer configured. */
export function providerLabel(env: Env, id: string): string {
  return findProvider(env, id)?.label ?? id;
}
