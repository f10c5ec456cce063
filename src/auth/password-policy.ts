// Password policy (NIST SP 800-63B-4 §3.1.1.2, ASVS 5.0 V6): length is what matters.
// Minimum 15 by default (configurable, floor 8), up to 256 accepted, any Unicode after
// NFKC, never truncated, no composition rules. Refused: common passwords, repetitive or
// sequential strings, and context words (the email's name part, the app's name).
// The common-password set comes from the caller (src/auth/common-passwords.ts loads it).

export const PASSWORD_MAX_LENGTH = 256;

export type PolicyVerdict = { ok: true; password: string } | { ok: false; reason: string };

/** The list is sorted and front-coded (see scripts/build-common-passwords.mjs). */
export function decodeFrontCoded(text: string): Set<string> {
  const words = new Set<string>();
  let previous = "";
  for (const line of text.split("\n")) {
    if (!line) continue;
    previous = previous.slice(0, Number(line[0])) + line.slice(1);
    words.add(previous);
  }
  return words;
}

/** NFKC so that visually identical inputs (full-width, ligatures) hash the same. */
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

/** Length in user-perceived characters (code points), not UTF-16 units. */
const length = (s: string) => [...s].length;

export type PolicyContext = { email?: string | null; appName?: string };

export function checkPasswordPolicy(raw: string, options: { minLength: number; common: ReadonlySet<string>; context?: PolicyContext }): PolicyVerdict {
  const password = normalizePassword(raw);
  const n = length(password);
  if (n < options.minLength) return { ok: false, reason: `Use at least ${options.minLength} characters.` };
  if (n > PASSWORD_MAX_LENGTH) return { ok: false, reason: `Use at most ${PASSWORD_MAX_LENGTH} characters.` };

  const lower = password.toLowerCase();
  const unit = shortestRepeatingUnit(lower);
  if (options.common.has(lower) || options.common.has(unit)) return { ok: false, reason: "This password is too common. Choose something less predictable." };
  if (length(unit) <= 3 || isSequence(lower)) return { ok: false, reason: "Avoid repeated or sequential characters." };
  for (const word of contextWords(options.context ?? {})) {
    if (lower.replace(/\s+/g, "").includes(word)) return { ok: false, reason: "Do not use your email address or the name of this service in your password." };
  }
  return { ok: true, password };
}

/** "abcabcabc" -> "abc": catches a common password repeated to reach the length. */
function shortestRepeatingUnit(s: string): string {
  const chars = [...s];
  for (let p = 1; p <= chars.length / 2; p++) {
    if (chars.length % p !== 0) continue;
    let repeats = true;
    for (let i = p; i < chars.length && repeats; i++) repeats = chars[i] === chars[i - p];
    if (repeats) return chars.slice(0, p).join("");
  }
  return s;
}

/**
 * Runs like "abcdefgh..." or "987654...": every step +1 or every step -1. Digits wrap
 * round ("...7890123...", "...2109876..."), because that is how people type them past
 * ten characters to reach the minimum length.
 */
function isSequence(s: string): boolean {
  const codes = [...s].map((ch) => ch.codePointAt(0)!);
  if (codes.length < 3) return false;
  const isDigit = (c: number) => c >= 48 && c <= 57;
  const stepOf = (a: number, b: number) => (isDigit(a) && isDigit(b) ? ((((b - a) % 10) + 15) % 10) - 5 : b - a);
  const step = stepOf(codes[0]!, codes[1]!);
  return Math.abs(step) === 1 && codes.every((c, i) => i === 0 || stepOf(codes[i - 1]!, c) === step);
}

/** The email's local part and its pieces ("jane.doe" -> jane.doe, jane, doe) and the app's whole name; 4+ chars only. */
function contextWords(context: PolicyContext): string[] {
  const local = context.email?.toLowerCase().split("@")[0] ?? "";
  const app = context.appName?.toLowerCase().replace(/\s+/g, "") ?? "";
  return [local, ...local.split(/[^\p{L}\p{N}]+/u), app].filter((w) => length(w) >= 4);
}
