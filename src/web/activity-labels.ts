// Labels for the audit event types in "Recent activity" (src/storage/audit-types.ts lists
// them; test/web/activity-labels.test.ts checks every one has an English and a Spanish
// label). A type this build does not know yet still reads well: "sign_in.new_device" ->
// "Sign in new device". Pure, so it runs under Node in the tests.
import type { MessageKey } from "./i18n/en";

export function activityLabelKey(type: string): MessageKey {
  return `activity.${type}` as MessageKey;
}

/** "sign_in.new_device" -> "Sign in new device"; junk collapses to "" (the caller shows a generic label). */
export function humanizeType(type: string): string {
  const words = type
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "";
}

/** The label for `type` from `dictionary` (a language's messages), else the readable fallback. */
export function activityLabel(type: string, dictionary: Partial<Record<string, string>>, generic: string): string {
  const known = Object.hasOwn(dictionary, activityLabelKey(type)) ? dictionary[activityLabelKey(type)] : undefined;
  return known || humanizeType(type) || generic;
}
