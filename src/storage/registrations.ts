// Pending email registrations in KV, keyed by SHA-256 of the registration token the
// registrant holds, with a TTL: an abandoned registration simply expires (no purge job).
// KV is enough: nothing here is single-use (the code is fenced by the Limiter, the
// account insert by D1's unique index), and the record is written once and only read.
import { sha256Hex } from "../auth/secrets";
import { getJson, kvKeys, putJson } from "./kv";

export type PendingRegistration = {
  /** Normalised email the registrant typed. */
  email: string;
  name: string | null;
  /** PHC hash of the registrant's password: applied only when this registration's own code is redeemed. */
  passwordHash: string;
  createdAt: number;
};

/** The id a registration's challenge is bound to (its `holder`); never the token itself. */
export const registrationId = (token: string) => sha256Hex(token);

export function readRegistration(env: Env, token: string): Promise<PendingRegistration | null> {
  return getJson<PendingRegistration>(env.KV, kvKeys.registration(registrationId(token)));
}

export function writeRegistration(env: Env, token: string, record: PendingRegistration, ttlSeconds: number): Promise<void> {
  return putJson(env.KV, kvKeys.registration(registrationId(token)), record, ttlSeconds);
}

export function deleteRegistration(env: Env, token: string): Promise<void> {
  return env.KV.delete(kvKeys.registration(registrationId(token)));
}
