// Every email template exists in English and Spanish (users.locale chooses).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { config } from "../../src/config";
import * as account from "../../src/messages/account-notices";
import { emailCodeMessage, phoneCodeText } from "../../src/messages/code-texts";
import type { Locale } from "../../src/messages/message";
import { newDeviceEmail, signInThrottledEmail } from "../../src/messages/security-notices";
import { signInMethodChangedEmail } from "../../src/messages/sign-in-method-notices";
import * as base from "../../src/messages/templates";
import type { Rendered } from "../../src/messages/templates";

const c = config(env);
const at = Date.UTC(2026, 10, 30, 12, 0, 0);
const all = (l: Locale): Rendered[] => [
  base.verificationEmail(c, l, "123456", "t".repeat(43)),
  base.accountExistsEmail(c, l),
  base.passwordResetEmail(c, l, "123456", "t".repeat(43)),
  signInMethodChangedEmail(c, l, { type: "password_reset" }),
  newDeviceEmail(c, l, { device: "Firefox on Linux", ip: "10.0.0.1", at }),
  signInThrottledEmail(c, l, { failures: 10, at }),
  account.emailChangeCodeEmail(c, l, "123456"),
  account.emailInUseEmail(c, l),
  account.emailChangedEmail(c, l, { newEmail: "new@example.com", revertToken: "t".repeat(43), revertUntil: at }),
  account.emailChangeRevertedEmail(c, l),
  account.accountDeactivatedEmail(c, l, { purgeAt: at }),
  account.accountReactivatedEmail(c, l),
  account.deletionScheduledEmail(c, l, { at }),
  account.deletionCancelledEmail(c, l),
  emailCodeMessage(c, l, "sign-in", "123456"),
  phoneCodeText(c, l, "reset-password", "123456"),
];

describe("message templates", () => {
  it("each exists in en and es: same kind, different text", () => {
    const en = all("en");
    const es = all("es");
    en.forEach((m, i) => {
      expect(es[i]!.kind).toBe(m.kind);
      expect(es[i]!.text).not.toBe(m.text);
      if (m.html) {
        expect(m.html).toContain('<html lang="en">');
        expect(es[i]!.html).toContain('<html lang="es">');
      }
    });
  });

  it("times are shown in the user's time zone when they chose one", () => {
    const m = newDeviceEmail(c, "en", { device: "Firefox on Linux", ip: "10.0.0.1", at, timeZone: "Europe/Madrid" });
    expect(m.text).toContain("Time: 2026-11-30 13:00:00 Europe/Madrid");
  });
});
