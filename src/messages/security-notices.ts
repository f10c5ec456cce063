// Notices to an account's owner about security events: a sign-in from a new device, and
// sign-in being throttled after repeated failures. They name facts (device, place, time)
// and point to the sessions page or a reset; they never contain a code or a secret.
import type { Config } from "../config";
import { layout, type Rendered } from "./templates";

export type SignInFacts = { device: string; country?: string; city?: string; ip: string; at: number };

const place = (f: SignInFacts) => [f.city, f.country].filter(Boolean).join(", ") || "an unknown location";
const when = (at: number) => new Date(at).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");

export function newDeviceEmail(c: Config, facts: SignInFacts): Rendered {
  // The SPA shows sessions as a section of the account page (src/web/pages/account-sections.tsx).
  const url = `${c.publicUrl}/account#sessions`;
  const lines = [
    `Your ${c.appName} account was just signed in to from a device we have not seen before.`,
    `Device: ${facts.device}. Location: ${place(facts)} (IP ${facts.ip}). Time: ${when(facts.at)}.`,
    "If this was you, there is nothing to do. If not, end that session and change your password.",
  ];
  return {
    kind: "new-device",
    subject: `New sign-in to your ${c.appName} account`,
    text: `${lines.join("\n")}\n\nReview your sessions: ${url}\n`,
    html: layout(c, "New sign-in", lines, { label: "Review sessions", url }),
  };
}

export function signInThrottledEmail(c: Config, facts: { failures: number; at: number }): Rendered {
  const url = `${c.publicUrl}/forgot-password`;
  const lines = [
    `There have been ${facts.failures} failed attempts to sign in to your ${c.appName} account with a password (last at ${when(facts.at)}).`,
    "To protect it, password sign-in is slowed down for a while. Your password has not been changed.",
    "If this was you, wait a little or reset your password: a reset works at once. If not, consider choosing a longer password.",
  ];
  return {
    kind: "sign-in-throttled",
    subject: `Failed sign-in attempts on your ${c.appName} account`,
    text: `${lines.join("\n")}\n\nReset your password: ${url}\n`,
    html: layout(c, "Failed sign-in attempts", lines, { label: "Reset password", url }),
  };
}
