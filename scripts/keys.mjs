// Key material helpers shared by dev setup, tests and the rotation script.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/** A new Ed25519 private JWK with a dated, unique kid. */
export function newSigningKey(date = new Date()) {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const kid = `${date.toISOString().slice(0, 10)}-${randomBytes(4).toString("hex")}`;
  return { ...jwk, kid, alg: "EdDSA", use: "sig" };
}

export function newPepper() {
  return randomBytes(32).toString("base64url");
}

/** The public half of a private JWK: what the JWKS publishes. */
export function publicJwk(jwk) {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, key_ops: _ops, ext: _ext, ...pub } = jwk;
  return pub;
}

/** Reads a dotenv file (.dev.vars format) into an object; {} when it does not exist. */
export function readVarsFile(path) {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, "utf8"));
}

/** Serialises vars in the format scripts/dev-setup.mjs writes (.dev.vars / --env-file). */
export function formatVars(vars) {
  return (
    Object.entries(vars)
      .map(([k, v]) => {
        if (String(v).includes("'")) throw new Error(`${k}: value contains a single quote`);
        return `${k}='${v}'`;
      })
      .join("\n") + "\n"
  );
}
