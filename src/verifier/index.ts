// `edge-auth/verifier`: protect another Worker's Hono routes with Edge Auth access tokens.
// Runs in THAT Worker, so it imports nothing from this service but ./contract (plain types),
// hono and jose. Two ways to verify:
//   serviceAuth()  — through the service binding (RPC): also refuses revoked sessions.
//   jwksAuth()     — against the public JWKS: no binding needed, but it cannot see a
//                    revocation; a revoked session's token passes until it expires.
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { AccessTokenClaims, AuthServiceApi, TokenFailureReason, VerifyResult } from "./contract";

export type * from "./contract";

/** Type the binding in your Env as `AUTH: AuthServiceBinding`. */
export type AuthServiceBinding = AuthServiceApi;

/** `c.get("auth")` holds the verified claims after either middleware. */
export type AuthVariables = { auth: AccessTokenClaims };
// The middleware must mount on any application's Hono<{ Bindings: TheirEnv }>; Hono's own
// middleware types use `any` bindings for the same reason. The binding is read by name, checked.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AuthEnv = { Bindings: any; Variables: AuthVariables };

export type ServiceAuthOptions = {
  /** Name of the service binding in the Worker's env (default "AUTH"). */
  binding?: string;
  /** Ask the service whether the session was revoked: true (default; one DO round trip), "edge" (a KV read, ~60 s behind), false. */
  checkRevocation?: boolean | "edge";
};

/** Verifies the bearer token by RPC to Edge Auth's `AuthService` entrypoint. */
export function serviceAuth(options: ServiceAuthOptions = {}): MiddlewareHandler<AuthEnv> {
  const name = options.binding ?? "AUTH";
  return guard(async (c, token) => {
    const service = (c.env as Record<string, AuthServiceBinding | undefined>)?.[name];
    if (!service || typeof service.verifyAccessToken !== "function") throw new Error(`edge-auth/verifier: no service binding named ${name}`);
    return service.verifyAccessToken(token, { checkRevocation: options.checkRevocation ?? true });
  });
}

export type JwksAuthOptions = {
  /** e.g. "https://auth.example.com/.well-known/jwks.json" */
  jwksUrl: string;
  /** Edge Auth's PUBLIC_URL (the `iss` claim), exactly. */
  issuer: string;
  /** Edge Auth's JWT_AUDIENCE (or its PUBLIC_URL when that is unset). */
  audience: string | string[];
  /** Allowed `alg` values (default EdDSA and ES256: what Edge Auth signs with). Never "none", never HS*. */
  algorithms?: string[];
  /** Seconds of clock skew tolerated on exp/iat (default 5). */
  clockToleranceSeconds?: number;
  /**
   * How long fetched keys are trusted (default 300 000 ms: the JWKS's own max-age). A token
   * naming an unknown kid refetches at once (at most every `cooldownMs`, default 30 000),
   * so a newly published key is picked up without waiting for this.
   */
  cacheMaxAgeMs?: number;
  cooldownMs?: number;
};

// The same shape as ID.compactJws in src/model/ids.ts, written out: this package ships on
// its own (`edge-auth/verifier`) and imports nothing outside its folder (test/node/verifier-package.test.mjs).
const COMPACT_JWS = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}$/;

/** A reusable verifier (the JWKS cache lives as long as it does: create it once, at module scope). */
export function createJwksVerifier(options: JwksAuthOptions): (token: string) => Promise<VerifyResult> {
  const algorithms = options.algorithms ?? ["EdDSA", "ES256"];
  if (algorithms.some((a) => a === "none" || a.startsWith("HS"))) throw new Error("edge-auth/verifier: only asymmetric algorithms may be allowed");
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(options.jwksUrl), {
    cacheMaxAge: options.cacheMaxAgeMs ?? 300_000,
    cooldownDuration: options.cooldownMs ?? 30_000,
    timeoutDuration: 5_000,
  });
  return async (token) => {
    if (typeof token !== "string" || token.length > 4096 || !COMPACT_JWS.test(token)) return { ok: false, reason: "invalid" };
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms,
        issuer: options.issuer,
        audience: options.audience,
        typ: "at+jwt",
        requiredClaims: ["iss", "aud", "sub", "sid", "jti", "exp", "iat"],
        clockTolerance: options.clockToleranceSeconds ?? 5,
      });
      if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return { ok: false, reason: "invalid" };
      if (payload.pending !== undefined) return { ok: false, reason: "incomplete" };
      return { ok: true, claims: payload as AccessTokenClaims };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { ok: false, reason: "expired" };
      // The keys could not be fetched: not the token's fault, so not a 401.
      if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid || !(e instanceof joseErrors.JOSEError)) throw e;
      return { ok: false, reason: "invalid" };
    }
  };
}

/** Verifies the bearer token locally against Edge Auth's JWKS. */
export function jwksAuth(options: JwksAuthOptions): MiddlewareHandler<AuthEnv> {
  const verify = createJwksVerifier(options);
  return guard((_c, token) => verify(token));
}

/**
 * After serviceAuth() or jwksAuth(): lets the request through only if the token's `org`
 * claim (the session's active organization) grants `permission`. The role "owner" holds
 * every permission. With `orgIdParam`, the claim's organization must also be the one the
 * route names (e.g. "orgId" for /orgs/:orgId/...). The claim is as of the token's issue:
 * for a decision that must see a role change at once, call `checkPermission` over RPC.
 */
export function requirePermission(permission: string, options: { orgIdParam?: string } = {}): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const org = c.get("auth")?.org;
    const inRoute = options.orgIdParam ? c.req.param(options.orgIdParam) : undefined;
    const granted = !!org && (org.role === "owner" || org.permissions.includes(permission)) && (!options.orgIdParam || org.id === inRoute);
    if (!granted) {
      const title = org ? `This needs the permission "${permission}" in the active organization.` : "Choose an organization first (POST /api/auth/switch-org).";
      throw problem(403, "forbidden", title, {});
    }
    await next();
  };
}

// --- shared middleware: bearer extraction and RFC 6750 / RFC 9457 failures ---------------

const FAILURES: Record<TokenFailureReason | "missing", { code: string; title: string }> = {
  missing: { code: "unauthorized", title: "Sign in to continue." },
  invalid: { code: "invalid_token", title: "The token is not valid." },
  expired: { code: "token_expired", title: "The token has expired." },
  revoked: { code: "session_ended", title: "The session has ended. Sign in again." },
  incomplete: { code: "phone_verification_required", title: "Verify a phone number to finish setting up your account." },
};

function guard(verify: (c: Context<AuthEnv>, token: string) => Promise<VerifyResult>): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const m = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(c.req.header("authorization") ?? "");
    if (!m) throw refuse("missing");
    let result: VerifyResult;
    try {
      result = await verify(c, m[1]!);
    } catch (e) {
      console.error("[edge-auth/verifier] could not verify the token", e);
      throw problem(503, "service_unavailable", "The authentication service is temporarily unavailable.", { "retry-after": "5" });
    }
    if (!result.ok) throw refuse(result.reason);
    c.set("auth", result.claims);
    await next();
  };
}

function refuse(reason: TokenFailureReason | "missing"): HTTPException {
  const { code, title } = FAILURES[reason];
  // RFC 6750 §3: no error code when no token was sent at all.
  const challenge = reason === "missing" ? 'Bearer realm="api"' : 'Bearer realm="api", error="invalid_token"';
  // An incomplete session is authenticated but not allowed yet: 403, like Edge Auth's own routes.
  if (reason === "incomplete") return problem(403, code, title, {});
  return problem(401, code, title, { "www-authenticate": challenge });
}

function problem(status: 401 | 403 | 503, code: string, detail: string, headers: Record<string, string>): HTTPException {
  // Same shape and codes as Edge Auth's own errors (its README "Errors").
  const title = status === 403 && code === "forbidden" ? "You are not allowed to do this." : detail;
  const body = JSON.stringify({ type: `urn:edge-auth:problem:${code}`, title, status, detail, code });
  const res = new Response(body, { status, headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers } });
  return new HTTPException(status, { res, message: detail });
}
