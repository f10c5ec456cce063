// Half-finished phone sign-ups in KV, keyed by SHA-256 of the resume token the client
// holds, with a TTL: an abandoned sign-up simply expires. KV is enough here: nothing in
// this state is single-use (codes are fenced by the Limiter; the final insert by D1's
// unique indexes).
import { sha256Hex } from "../auth/secrets";
import { getJson, kvKeys, putJson } from "./kv";

export type PhoneSignupState = {
  phone: string;
  phoneVerified: boolean;
  email: string | null;
  emailVerified: boolean;
  locale: "en" | "es";
  channel: "sms" | "whatsapp" | "telegram";
  createdAt: number;
  expiresAt: number;
};

export function readPhoneSignup(env: Env, token: string): Promise<PhoneSignupState | null> {
  return getJson<PhoneSignupState>(env.KV, kvKeys.phoneSignup(sha256Hex(token)));
}

export function writePhoneSignup(env: Env, token: string, state: PhoneSignupState, ttlSeconds: number): Promise<void> {
  return putJson(env.KV, kvKeys.phoneSignup(sha256Hex(token)), state, ttlSeconds);
}

export function deletePhoneSignup(env: Env, token: string): Promise<void> {
  return env.KV.delete(kvKeys.phoneSignup(sha256Hex(token)));
}
