// One-time codes and links (email verification, password reset, later OTP sign-in).
// DESIGN.md §5: 6 unbiased digits, stored hashed, bound to purpose + target, 10 minutes,
// single use, 5 failures per (purpose, target) — a new code does not reset them. The
// challenge lives in KV; attempts and single use are decided by a Limiter object.
import { clock } from "../clock";
import { getJson, kvKeys, putJson } from "../storage/kv";
import { randomDigits, randomId, randomToken, safeEqual, sha256Hex } from "./secrets";
import { ID } from "../model/ids";
import { limiterObject, objectNames } from "../objects/names";

export type CodePurpose = "verify-email" | "reset-password" | (string & {});

export const CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_CODE_FAILURES = 5;

type Challenge = { id: string; codeHash: string; tokenHash: string; userId: string | null; expiresAt: number };
type ChallengeLink = { purpose: CodePurpose; target: string };

export type IssuedCode = { code: string; token: string; expiresAt: number };

export type RedeemResult =
  | { ok: true; target: string; userId: string | null }
  | { ok: false; reason: "invalid" | "expired" | "too_many_attempts" };

/** Normalised target (email lower-cased, phone E.164), hashed for keys. */
const targetKey = (target: string) => sha256Hex(target);
// The code hash is salted with the challenge id so equal codes never share a hash.
const codeHash = (challengeId: string, code: string) => sha256Hex(`${challengeId}:${code}`);

function attemptsScope(env: Env, purpose: CodePurpose, target: string) {
  return limiterObject(env, objectNames.code(purpose, targetKey(target)));
}

/** Issues a fresh code and link token for (purpose, target), replacing any earlier one. */
export async function issueCode(env: Env, purpose: CodePurpose, target: string, userId: string | null): Promise<IssuedCode> {
  const id = randomId();
  const code = randomDigits(6);
  const token = randomToken();
  const expiresAt = clock.now() + CODE_TTL_MS;
  const challenge: Challenge = { id, codeHash: codeHash(id, code), tokenHash: sha256Hex(token), userId, expiresAt };
  // The replaced challenge's link is dead anyway (only the newest counts); deleting it
  // means no link record outlives its challenge, so an account purge can find them all.
  const replaced = await getJson<Challenge>(env.KV, kvKeys.challenge(purpose, targetKey(target)));
  await Promise.all([
    replaced ? env.KV.delete(kvKeys.challengeLink(replaced.tokenHash)) : undefined,
    putJson(env.KV, kvKeys.challenge(purpose, targetKey(target)), challenge, CODE_TTL_MS / 1000),
    putJson(env.KV, kvKeys.challengeLink(challenge.tokenHash), { purpose, target } satisfies ChallengeLink, CODE_TTL_MS / 1000),
  ]);
  return { code, token, expiresAt };
}

/** Redeems a code typed by the user for (purpose, target). */
export async function redeemCode(env: Env, purpose: CodePurpose, target: string, code: string): Promise<RedeemResult> {
  const challenge = await getJson<Challenge>(env.KV, kvKeys.challenge(purpose, targetKey(target)));
  if (!challenge) return countMiss(env, purpose, target);
  if (clock.now() >= challenge.expiresAt) return { ok: false, reason: "expired" };
  const matches = /^\d{6}$/.test(code) && safeEqual(codeHash(challenge.id, code), challenge.codeHash);
  return settle(env, purpose, target, challenge, matches);
}

/** Redeems a link token (it names its own purpose and target). */
export async function redeemLinkToken(env: Env, purpose: CodePurpose, token: string): Promise<RedeemResult> {
  if (!ID.token256.test(token)) return { ok: false, reason: "invalid" };
  const tokenHash = sha256Hex(token);
  const link = await getJson<ChallengeLink>(env.KV, kvKeys.challengeLink(tokenHash));
  if (!link || link.purpose !== purpose) return { ok: false, reason: "invalid" };
  const challenge = await getJson<Challenge>(env.KV, kvKeys.challenge(purpose, targetKey(link.target)));
  // A link to a code that has since been replaced is dead: only the newest challenge counts.
  if (!challenge || !safeEqual(challenge.tokenHash, tokenHash)) return { ok: false, reason: "invalid" };
  if (clock.now() >= challenge.expiresAt) return { ok: false, reason: "expired" };
  return settle(env, purpose, link.target, challenge, true);
}

async function settle(env: Env, purpose: CodePurpose, target: string, challenge: Challenge, matches: boolean): Promise<RedeemResult> {
  const verdict = await attemptsScope(env, purpose, target).checkCode(challenge.id, matches, MAX_CODE_FAILURES, challenge.expiresAt, clock.now());
  if (verdict.ok) {
    await Promise.all([env.KV.delete(kvKeys.challenge(purpose, targetKey(target))), env.KV.delete(kvKeys.challengeLink(challenge.tokenHash))]);
    return { ok: true, target, userId: challenge.userId };
  }
  return { ok: false, reason: verdict.reason === "too_many_attempts" ? "too_many_attempts" : "invalid" };
}

/**
 * A code typed for a target that has no challenge (unknown account, nothing pending)
 * counts against the same failure budget as a wrong one: otherwise only targets with a
 * pending code would ever reach too_many_attempts, which tells them apart.
 */
async function countMiss(env: Env, purpose: CodePurpose, target: string): Promise<RedeemResult> {
  const now = clock.now();
  const verdict = await attemptsScope(env, purpose, target).checkCode("none", false, MAX_CODE_FAILURES, now + CODE_TTL_MS, now);
  return { ok: false, reason: !verdict.ok && verdict.reason === "too_many_attempts" ? "too_many_attempts" : "invalid" };
}

/** Deletes any pending challenge of (purpose, target) and its link (the target's account is being deleted). */
export async function forgetCodes(env: Env, purpose: CodePurpose, target: string): Promise<void> {
  const key = kvKeys.challenge(purpose, targetKey(target));
  const challenge = await getJson<Challenge>(env.KV, key);
  await Promise.all([env.KV.delete(key), challenge ? env.KV.delete(kvKeys.challengeLink(challenge.tokenHash)) : undefined, limiterObject(env, objectNames.code(purpose, targetKey(target))).forget()]);
}

/** The target a link token points at, without spending it (to check input first). */
export async function peekLinkTarget(env: Env, purpose: CodePurpose, token: string): Promise<string | null> {
  const link = await getJson<ChallengeLink>(env.KV, kvKeys.challengeLink(sha256Hex(token)));
  return link && link.purpose === purpose ? link.target : null;
}
