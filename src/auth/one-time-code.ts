// One-time codes and links (email verification, password reset, sign-in, phones).
// docs/architecture.md §5: 6 unbiased digits, stored hashed, bound to purpose + target, 10 minutes,
// single use. The challenge lives in KV; attempts and single use are decided by the
// Limiter object of the target (README "Phones and one-time codes").
//
// Failure budgets are shaped so strangers cannot lock the owner out (issue 10 §3):
// - 5 wrong codes per ISSUED challenge: a new code starts a fresh budget (new codes are
//   bounded by the daily send caps of the rate-limit policy);
// - a code typed while no challenge is live cannot succeed and touches nothing of the
//   target: the route charges the guessing client instead (`code.no-challenge`);
// - 20 wrong codes per target per 24 h across purposes, so guessing cannot go on for ever
//   at 5 per code; it blocks codes only;
// - the 256-bit link of a challenge is never blocked by wrong codes.
import { clock } from "../clock";
import { getJson, kvKeys, putJson } from "../storage/kv";
import { randomDigits, randomId, randomToken, safeEqual, sha256Hex } from "./secrets";
import { ID } from "../model/ids";
import type { CodeRules } from "../model/limits";
import { limiterObject, objectNames } from "../objects/names";

export type CodePurpose = "verify-email" | "reset-password" | (string & {});

export const CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_CODE_FAILURES = 5;
export const CODE_RULES: CodeRules = { perCode: MAX_CODE_FAILURES, perTarget: 20, targetWindowMs: 24 * 3600 * 1000 };

type Challenge = { id: string; codeHash: string; tokenHash: string; userId: string | null; expiresAt: number };
/**
 * `holder`: who besides the mailbox must take part to redeem it (a registration id), so
 * several people's challenges for one target never replace or redeem each other.
 */
type ChallengeLink = { purpose: CodePurpose; target: string; holder?: string };

export type IssuedCode = { code: string; token: string; expiresAt: number };

/** `no_challenge`: nothing is live for that target; the caller charges the client, not the target. */
export type RedeemFailure = "invalid" | "expired" | "too_many_attempts" | "no_challenge";
export type RedeemResult = { ok: true; target: string; userId: string | null } | { ok: false; reason: RedeemFailure };

/** Normalised target (email lower-cased, phone E.164), hashed for keys. */
const targetKey = (target: string) => sha256Hex(target);
const challengeKey = (purpose: CodePurpose, target: string, holder?: string) =>
  kvKeys.challenge(purpose, holder ? sha256Hex(`${target}\n${holder}`) : targetKey(target));
// The code hash is salted with the challenge id so equal codes never share a hash.
const codeHash = (challengeId: string, code: string) => sha256Hex(`${challengeId}:${code}`);

/** The Limiter of one target: budgets and single use of its codes, all purposes. */
function fence(env: Env, target: string) {
  return limiterObject(env, objectNames.codes(targetKey(target)));
}

/** Issues a fresh code and link token for (purpose, target[, holder]), replacing any earlier one. */
export async function issueCode(env: Env, purpose: CodePurpose, target: string, userId: string | null, holder?: string): Promise<IssuedCode> {
  const id = randomId();
  const code = randomDigits(6);
  const token = randomToken();
  const expiresAt = clock.now() + CODE_TTL_MS;
  const challenge: Challenge = { id, codeHash: codeHash(id, code), tokenHash: sha256Hex(token), userId, expiresAt };
  const link: ChallengeLink = { purpose, target, ...(holder ? { holder } : {}) };
  // The replaced challenge's link is dead anyway (only the newest counts); deleting it
  // means no link record outlives its challenge, so an account purge can find them all.
  const replaced = await getJson<Challenge>(env.KV, challengeKey(purpose, target, holder));
  await Promise.all([
    replaced ? env.KV.delete(kvKeys.challengeLink(replaced.tokenHash)) : undefined,
    putJson(env.KV, challengeKey(purpose, target, holder), challenge, CODE_TTL_MS / 1000),
    putJson(env.KV, kvKeys.challengeLink(challenge.tokenHash), link, CODE_TTL_MS / 1000),
  ]);
  return { code, token, expiresAt };
}

/** Redeems a code typed by the user for (purpose, target[, holder]). */
export async function redeemCode(env: Env, purpose: CodePurpose, target: string, code: string, holder?: string): Promise<RedeemResult> {
  const key = challengeKey(purpose, target, holder);
  const challenge = await getJson<Challenge>(env.KV, key);
  if (!challenge) return { ok: false, reason: "no_challenge" };
  if (clock.now() >= challenge.expiresAt) return { ok: false, reason: "expired" };
  const matches = /^\d{6}$/.test(code) && safeEqual(codeHash(challenge.id, code), challenge.codeHash);
  const verdict = await fence(env, target).checkCode(challenge.id, matches, CODE_RULES, challenge.expiresAt, clock.now());
  if (!verdict.ok) return { ok: false, reason: verdict.reason === "too_many_attempts" ? "too_many_attempts" : "invalid" };
  await Promise.all([env.KV.delete(key), env.KV.delete(kvKeys.challengeLink(challenge.tokenHash))]);
  return { ok: true, target, userId: challenge.userId };
}

/**
 * Redeems a link token (it names its own purpose and target). A link issued for a holder
 * works only with that holder, and a mismatch is refused before anything is spent.
 */
export async function redeemLinkToken(env: Env, purpose: CodePurpose, token: string, holder?: string): Promise<RedeemResult> {
  if (!ID.token256.test(token)) return { ok: false, reason: "invalid" };
  const tokenHash = sha256Hex(token);
  const link = await getJson<ChallengeLink>(env.KV, kvKeys.challengeLink(tokenHash));
  if (!link || link.purpose !== purpose || link.holder !== holder) return { ok: false, reason: "invalid" };
  const key = challengeKey(purpose, link.target, link.holder);
  const challenge = await getJson<Challenge>(env.KV, key);
  // A link to a code that has since been replaced is dead: only the newest challenge counts.
  if (!challenge || !safeEqual(challenge.tokenHash, tokenHash)) return { ok: false, reason: "invalid" };
  if (clock.now() >= challenge.expiresAt) return { ok: false, reason: "expired" };
  if (!(await fence(env, link.target).redeemLink(challenge.id, challenge.expiresAt, clock.now()))) return { ok: false, reason: "invalid" };
  await Promise.all([env.KV.delete(key), env.KV.delete(kvKeys.challengeLink(tokenHash))]);
  return { ok: true, target: link.target, userId: challenge.userId };
}

/**
 * The target's account is being deleted (src/auth/account-purge.ts): its pending
 * challenge of `purpose` and that challenge's link go. `forgetCodeFence` drops the
 * target's attempt counters and single-use markers (all purposes share one Limiter).
 */
export async function forgetCodes(env: Env, purpose: CodePurpose, target: string): Promise<void> {
  const key = challengeKey(purpose, target);
  const challenge = await getJson<Challenge>(env.KV, key);
  await Promise.all([env.KV.delete(key), challenge ? env.KV.delete(kvKeys.challengeLink(challenge.tokenHash)) : undefined]);
}

export async function forgetCodeFence(env: Env, target: string): Promise<void> {
  await fence(env, target).forget();
}

/** The target a link token points at, without spending it (to check input first). */
export async function peekLinkTarget(env: Env, purpose: CodePurpose, token: string): Promise<string | null> {
  const link = await getJson<ChallengeLink>(env.KV, kvKeys.challengeLink(sha256Hex(token)));
  return link && link.purpose === purpose ? link.target : null;
}
