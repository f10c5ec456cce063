// Signing keys for access tokens. JWT_PRIVATE_KEYS is a JSON array of private JWKs,
// each with `kid` and `alg` (EdDSA or ES256). The first one signs; every key in it, plus
// JWT_RETIRED_PUBLIC_KEYS, is published at /.well-known/jwks.json so tokens signed by a
// key being rotated out keep verifying until they expire (README "Key rotation").
import { importJWK, type CryptoKey, type JWK } from "jose";
import { ConfigurationError } from "../errors";

export const ALLOWED_ALGORITHMS = ["EdDSA", "ES256"] as const;
export type SigningAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

export type KeyRing = {
  signing: { kid: string; alg: SigningAlgorithm; key: CryptoKey };
  /** Public verification keys by kid: the only keys a token may name. */
  verify: Map<string, { alg: SigningAlgorithm; key: CryptoKey }>;
  /** The public JWKS document. */
  jwks: { keys: JWK[] };
};

// Parsed once per isolate per secret value: importing keys costs more than verifying a token.
let cached: { source: string; ring: Promise<KeyRing> } | undefined;

/**
 * The key ring, or a ConfigurationError naming the secret that is missing or malformed
 * (503 service_misconfigured on the request that needed it; /health check "signingKeys").
 */
export function keyRing(env: Env): Promise<KeyRing> {
  const source = `${env.JWT_PRIVATE_KEYS ?? ""}\n${env.JWT_RETIRED_PUBLIC_KEYS ?? ""}`;
  if (cached?.source !== source) {
    const ring = loadKeyRing(env.JWT_PRIVATE_KEYS, env.JWT_RETIRED_PUBLIC_KEYS).catch((e: unknown) => {
      throw e instanceof ConfigurationError ? e : new ConfigurationError(`signing keys: ${(e as Error)?.message ?? e}`);
    });
    cached = { source, ring };
    ring.catch(() => (cached = undefined));
  }
  return cached.ring;
}

async function loadKeyRing(privateJson: string | undefined, retiredJson: string | undefined): Promise<KeyRing> {
  const privateKeys = parseKeys(privateJson, "JWT_PRIVATE_KEYS");
  if (privateKeys.length === 0)
    throw new ConfigurationError("JWT_PRIVATE_KEYS holds no key: run `npm run dev` once, or `wrangler secret put JWT_PRIVATE_KEYS --env <env>`");
  if (typeof privateKeys[0]!.d !== "string") throw new ConfigurationError("JWT_PRIVATE_KEYS: the first key (the signing key) has no private part `d`");
  const retired = retiredJson ? parseKeys(retiredJson, "JWT_RETIRED_PUBLIC_KEYS") : [];

  const verify: KeyRing["verify"] = new Map();
  const published: JWK[] = [];
  for (const jwk of [...privateKeys.map(publicPart), ...retired.map(publicPart)]) {
    if (verify.has(jwk.kid)) continue;
    verify.set(jwk.kid, { alg: jwk.alg, key: (await importJWK(jwk, jwk.alg)) as CryptoKey });
    published.push({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: jwk.kid, alg: jwk.alg, use: "sig" });
  }
  const first = privateKeys[0]!;
  return {
    signing: { kid: first.kid, alg: first.alg, key: (await importJWK(first, first.alg)) as CryptoKey },
    verify,
    jwks: { keys: published.map((k) => Object.fromEntries(Object.entries(k).filter(([, v]) => v !== undefined))) },
  };
}

type NamedJwk = JWK & { kid: string; alg: SigningAlgorithm };

function parseKeys(json: string | undefined, name: string): NamedJwk[] {
  let keys: unknown;
  try {
    keys = JSON.parse(json ?? "[]");
  } catch {
    throw new ConfigurationError(`${name} is not valid JSON`);
  }
  if (!Array.isArray(keys)) throw new ConfigurationError(`${name} must be a JSON array of JWKs`);
  return keys.map((k: JWK) => {
    if (typeof k !== "object" || k === null || typeof k.kid !== "string" || !ALLOWED_ALGORITHMS.includes(k.alg as SigningAlgorithm)) {
      throw new ConfigurationError(`${name}: every key needs a kid and alg ${ALLOWED_ALGORITHMS.join(" or ")}`);
    }
    return k as NamedJwk;
  });
}

function publicPart(k: NamedJwk): NamedJwk {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, key_ops: _ops, ext: _ext, ...pub } = k;
  return pub as NamedJwk;
}
