// Which notices a user receives. Security notices (password changed, email changed,
// lock-out, deactivation, deletion, sign-in codes) always go out and cannot be switched
// off: they are how an owner learns that someone else is in their account. The only
// optional notice today is the new-device sign-in alert. Stored as JSON in
// users.notification_prefs; a missing key means the default.
import type { User } from "../storage/schema";

export type NotificationPrefs = { security: true; newDevice: boolean };

const DEFAULTS: NotificationPrefs = { security: true, newDevice: true };

export function notificationPrefs(user: Pick<User, "notificationPrefs">): NotificationPrefs {
  let stored: Record<string, unknown> = {};
  try {
    stored = user.notificationPrefs ? (JSON.parse(user.notificationPrefs) as Record<string, unknown>) : {};
  } catch {
    // A damaged value falls back to the defaults (everything on): never to silence.
  }
  return { security: true, newDevice: typeof stored.newDevice === "boolean" ? stored.newDevice : DEFAULTS.newDevice };
}

/** The optional choices as stored (the security flag is never stored: it is not a choice). */
export function storedPrefs(prefs: NotificationPrefs): string {
  return JSON.stringify({ newDevice: prefs.newDevice });
}
