// OpenID Connect Discovery 1.0: the generic provider is configured by its issuer URL
// alone; endpoints and the JWKS location come from `/.well-known/openid-configuration`.
// Cached in memory (per isolate) and in KV for an hour, so a sign-in costs no extra
// round trip. The document must name exactly the configured issuer (Discovery §4.3),
// or a compromised/misconfigured document could redirect us to another issuer's keys.
import { clock } from "../../clock";
import { config } from "../../config";
import { cacheDiscovery, DISCOVERY_TTL_SECONDS, readCachedDiscovery } from "../../storage/oauth";

export type DiscoveryDocument = {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
};

const memory = new Map<string, { doc: DiscoveryDocument; until: number }>();

export class DiscoveryError extends Error {}

const trimSlash = (s: string) => s.replace(/\/+$/, "");

/** https only; plain http to a loopback host is allowed in development (local IdPs, tests). */
export function isAllowedEndpoint(env: Env, value: unknown): value is string {
  if (typeof value !== "string") return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  return url.protocol === "http:" && loopback && config(env).isDevelopment;
}

export async function discoverIssuer(env: Env, issuer: string): Promise<DiscoveryDocument> {
  const key = trimSlash(issuer);
  const now = clock.now();
  const hit = memory.get(key);
  if (hit && hit.until > now) return hit.doc;

  let doc = await readCachedDiscovery<DiscoveryDocument>(env, key);
  if (!doc) {
    if (!isAllowedEndpoint(env, issuer)) throw new DiscoveryError(`issuer URL not allowed: ${issuer}`);
    const res = await fetch(`${key}/.well-known/openid-configuration`, { headers: { accept: "application/json" } });
    if (!res.ok) throw new DiscoveryError(`discovery answered ${res.status}`);
    doc = validateDocument(env, key, await res.json().catch(() => null));
    await cacheDiscovery(env, key, doc);
  }
  memory.set(key, { doc, until: now + DISCOVERY_TTL_SECONDS * 1000 });
  return doc;
}

function validateDocument(env: Env, issuer: string, raw: unknown): DiscoveryDocument {
  const d = (raw ?? {}) as Record<string, unknown>;
  if (typeof d.issuer !== "string" || trimSlash(d.issuer) !== issuer) throw new DiscoveryError("discovery issuer does not match the configured issuer");
  for (const field of ["authorization_endpoint", "token_endpoint", "jwks_uri"] as const) {
    if (!isAllowedEndpoint(env, d[field])) throw new DiscoveryError(`discovery ${field} missing or not https`);
  }
  return {
    issuer: d.issuer,
    authorization_endpoint: d.authorization_endpoint as string,
    token_endpoint: d.token_endpoint as string,
    jwks_uri: d.jwks_uri as string,
    ...(isAllowedEndpoint(env, d.userinfo_endpoint) ? { userinfo_endpoint: d.userinfo_endpoint } : {}),
  };
}
