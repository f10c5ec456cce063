// The daily cron (wrangler.toml [triggers]): retention and purge of expired rows.
// KV entries and Durable Object records expire on their own (TTL / alarms); D1 rows do not.
import { clock } from "../clock";
import { config } from "../config";
import { purgeDueAccounts, type PurgeReport } from "./account-purge";
import { purgeAuditEventsBefore, purgeUnverifiedUsersBefore } from "../storage/purge";

const DAY_MS = 86400 * 1000;

export type MaintenanceReport = { auditEventsDeleted: number; unverifiedUsersDeleted: number } & PurgeReport;

export async function runMaintenance(env: Env): Promise<MaintenanceReport> {
  const c = config(env);
  const now = clock.now();
  const report = {
    // Audit events are personal data (IP, place): kept only as long as they are useful.
    auditEventsDeleted: await purgeAuditEventsBefore(env, now - c.auditRetentionDays * DAY_MS),
    // Unverified accounts: registration no longer creates them (it waits for its own code,
    // src/auth/registration.ts), but rows from before still squat addresses; they go after
    // a week. Pending registrations expire in KV on their own.
    unverifiedUsersDeleted: await purgeUnverifiedUsersBefore(env, now - c.unverifiedAccountTtlDays * DAY_MS),
    // Accounts their owners deleted (after 14 days of grace) or left deactivated for 30 days.
    ...(await purgeDueAccounts(env)),
  };
  console.log("[maintenance]", JSON.stringify(report));
  return report;
}
