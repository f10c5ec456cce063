// The purge job (run daily by the cron, src/auth/maintenance.ts): accounts whose deletion
// date has passed, and accounts deactivated more than 30 days ago, are removed with
// everything that can identify their owner (README "Deletion", data-retention table):
//   R2      the avatar object
//   DO      the user's SessionFence (sessions, devices); the Limiter scopes named after
//           the email/phone (sign-in failures, code attempts)
//   KV      pending one-time codes and their links, a pending email change, the dev outbox
//   D1      users, password_credentials, password_history, identities, email_changes;
//           audit_events keep the event type and time under a random anonymous id
// Outside stores first, the user row last: a run cut short leaves the row, so the next
// run finds the account again and repeats every (idempotent) step.
import { clock } from "../clock";
import { config } from "../config";
import { normalizeEmail } from "../storage/users";
import { forgetCodeFence, forgetCodes } from "./one-time-code";
import { REACTIVATION_WINDOW_MS } from "./account-lifecycle";
import { blockersToDeletion } from "./organization-hooks";
import { randomId, sha256Hex } from "./secrets";
import { deleteAvatar } from "../storage/avatars";
import { listEmailChanges } from "../storage/email-changes";
import { listIdentities } from "../storage/identities";
import { getJson, kvKeys } from "../storage/kv";
import { anonymizeAuditChunk, deleteUserRows } from "../storage/purge";
import { usersDueForPurge } from "../storage/profile";
import { recordAuditEvent } from "../storage/audit";
import type { User } from "../storage/schema";
import { limiterObject, objectNames, sessionObject } from "../objects/names";

// Each account costs ~30-60 subrequests (R2, Durable Objects, KV, D1: more for accounts
// that changed address); 10 per run stays under the 1,000 subrequests of one invocation.
// Accounts over that wait for the next run (README "Deletion").
export const PURGE_ACCOUNTS_PER_RUN = 10;

export type PurgeReport = { accountsDeleted: number; deletionsBlocked: number };

// Blocked accounts are skipped by walking ids, so they never starve the others; the walk
// stops after this many rows even if most of them were blocked.
const MAX_ROWS_SEEN = 100;

export async function purgeDueAccounts(env: Env, limit = PURGE_ACCOUNTS_PER_RUN): Promise<PurgeReport> {
  const now = clock.now();
  const report: PurgeReport = { accountsDeleted: 0, deletionsBlocked: 0 };
  let afterId = "";
  let seen = 0;
  while (report.accountsDeleted < limit && seen < MAX_ROWS_SEEN) {
    const page = await usersDueForPurge(env, now, now - REACTIVATION_WINDOW_MS, limit - report.accountsDeleted, afterId);
    if (page.length === 0) break;
    for (const user of page) {
      seen++;
      afterId = user.id;
      // An organization must never be left without an owner (hook filled by issue 14).
      const blockers = await blockersToDeletion(env, user.id);
      if (blockers.length) {
        console.warn(`[purge] account ${user.id} kept: last owner of ${blockers.length} organization(s)`);
        report.deletionsBlocked++;
        continue;
      }
      if (await purgeAccount(env, user)) report.accountsDeleted++;
    }
  }
  return report;
}

/** Removes one account everywhere; true when its user row was deleted by this call. */
export async function purgeAccount(env: Env, user: User): Promise<boolean> {
  const phones = (await listIdentities(env, user.id)).filter((i) => i.provider === "phone").map((i) => i.subject);
  const pending = (await getJson<{ newEmail: string }>(env.KV, kvKeys.emailChange(user.id)))?.newEmail ?? null;
  // Every address the account has used: state named after an earlier one may still be live.
  const earlier = (await listEmailChanges(env, user.id)).flatMap((ch) => [ch.oldEmail, ch.newEmail]);
  const emails = [...new Set([user.email, pending, ...earlier].filter((e): e is string => e !== null))];

  if (user.avatarKey) await deleteAvatar(env, user.avatarKey);
  await sessionObject(env, user.id).erase();
  await forgetOneTimeState(env, user.id, emails, phones, pending);
  if (config(env).isDevelopment) await forgetDevOutbox(env, [...emails, ...phones]);

  const anonymousId = `deleted:${randomId()}`;
  while ((await anonymizeAuditChunk(env, user.id, anonymousId)) > 0);
  const deleted = await deleteUserRows(env, user.id);
  // The trail records that an account was deleted, under the anonymous id only.
  if (deleted)
    await recordAuditEvent(env, { type: "account.deleted", userId: anonymousId, reason: user.deletionScheduledAt !== null ? "requested" : "deactivated" });
  return deleted;
}

/** Codes, links, attempt counters and the sign-in throttle named after the user's addresses. */
async function forgetOneTimeState(env: Env, userId: string, emails: string[], phones: string[], pendingEmail: string | null): Promise<void> {
  const tasks: Promise<unknown>[] = [];
  // Every code target the account may have: its addresses, and the account-bound ones.
  const targets = [...emails, ...phones, ...phones.map((p) => `${userId}:${p}`), ...(pendingEmail ? [`${userId}:${pendingEmail}`] : [])];
  for (const email of emails) {
    for (const purpose of ["verify-email", "reset-password", "sign-in"]) tasks.push(forgetCodes(env, purpose, email));
    tasks.push(limiterObject(env, objectNames.signIn(sha256Hex(normalizeEmail(email)))).forget());
  }
  for (const phone of phones) {
    for (const purpose of ["sign-in", "reset-password"]) tasks.push(forgetCodes(env, purpose, phone));
    tasks.push(forgetCodes(env, "verify-phone", `${userId}:${phone}`));
  }
  if (pendingEmail) tasks.push(forgetCodes(env, "change-email", `${userId}:${pendingEmail}`));
  for (const target of targets) tasks.push(forgetCodeFence(env, target));
  tasks.push(env.KV.delete(kvKeys.emailChange(userId)));
  await Promise.all(tasks);
}

/** Development only: copies of messages to any address the account used. */
async function forgetDevOutbox(env: Env, addresses: string[]): Promise<void> {
  for (const to of addresses) {
    const list = await env.KV.list({ prefix: kvKeys.outboxPrefix(sha256Hex(to)) });
    await Promise.all(list.keys.map((k) => env.KV.delete(k.name)));
  }
}
