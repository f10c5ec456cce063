// Key material helpers shared by dev setup, tests and the rotation script.
import { generateKeyPairSync, randomBytes } from "node:crypto";

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
