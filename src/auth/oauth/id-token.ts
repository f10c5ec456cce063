// id_token verification (OpenID Connect Core §3.1.3.7) with jose: signature against the
// provider's JWKS, an asymmetric algorithm allow-list (never `none`, never HS* — a
// client secret is not a verification key here), iss, aud (and azp when several
// audiences), exp/iat with 60 s of clock skew, and the transaction's nonce.
// arctic's decodeIdToken only decodes; it proves nothing.
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { clock } from "../../clock";
import { safeEqual } from "../secrets";
import type { IdTokenRules } from "./providers";

export const ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];

export type IdTokenResult = { ok: true; claims: JWTPayload & Record<string, unknown> } | { ok: false; reason: string };

// Provider keys rotate rarely; a kid we have not seen triggers one refetch.
const JWKS_FRESH_MS = 10 * 60 * 1000;
const jwksCache = new Map<string, { jwks: JSONWebKeySet; fetchedAt: number }>();

async function fetchJwks(uri: string): Promise<JSONWebKeySet> {
  const res = await fetch(uri, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
  const body = (await res.json().catch(() => null)) as JSONWebKeySet | null;
  if (!body || !Array.isArray(body.keys)) throw new Error("JWKS is not a key set");
  jwksCache.set(uri, { jwks: body, fetchedAt: clock.now() });
  return body;
}

export async function verifyIdToken(idToken: string, rules: IdTokenRules, expectedNonce: string): Promise<IdTokenResult> {
  const options = {
    algorithms: ID_TOKEN_ALGORITHMS,
    audience: rules.audience,
    ...(typeof rules.issuer === "string" ? { issuer: rules.issuer } : {}),
    clockTolerance: 60,
    currentDate: new Date(clock.now()),
    requiredClaims: ["sub", "iat", "exp"],
  };
  let payload: JWTPayload;
  try {
    const cached = jwksCache.get(rules.jwksUri);
    const fresh = cached && clock.now() - cached.fetchedAt < JWKS_FRESH_MS ? cached.jwks : null;
    try {
      payload = (await jwtVerify(idToken, createLocalJWKSet(fresh ?? (await fetchJwks(rules.jwksUri))), options)).payload;
    } catch (e) {
      if (!(fresh && e instanceof errors.JWKSNoMatchingKey)) throw e;
      payload = (await jwtVerify(idToken, createLocalJWKSet(await fetchJwks(rules.jwksUri)), options)).payload;
    }
  } catch (e) {
    return { ok: false, reason: e instanceof errors.JOSEError ? e.code : "jwks_unavailable" };
  }
  const claims = payload as JWTPayload & Record<string, unknown>;
  if (typeof rules.issuer === "function" && !rules.issuer(claims)) return { ok: false, reason: "iss" };
  // Several audiences: the authorized party must be us (OIDC Core §3.1.3.7 items 4-5).
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== rules.audience) return { ok: false, reason: "azp" };
  if (typeof claims.nonce !== "string" || !safeEqual(claims.nonce, expectedNonce)) return { ok: false, reason: "nonce" };
  if (typeof claims.sub !== "string" || claims.sub.length === 0 || claims.sub.length > 255) return { ok: false, reason: "sub" };
  return { ok: true, claims };
}
