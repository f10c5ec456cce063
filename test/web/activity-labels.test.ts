// "Recent activity" labels: every audit type the service records has an English and a
// Spanish label; unknown types still read as words.
import { describe, expect, it } from "vitest";
import { AUDIT_TYPES } from "../../src/storage/audit-types";
import { activityLabel, activityLabelKey, humanizeType } from "../../src/web/activity-labels";
import { en } from "../../src/web/i18n/en";
import { es } from "../../src/web/i18n/es";

describe("activity labels", () => {
  it("has an English and a Spanish label for every audit type, all different from the raw type", () => {
    for (const type of AUDIT_TYPES) {
      const key = activityLabelKey(type);
      expect(en[key], `en ${type}`).toBeTruthy();
      expect(es[key], `es ${type}`).toBeTruthy();
      expect(en[key]).not.toBe(es[key]);
      expect(activityLabel(type, en, "x")).toBe(en[key]);
      expect(activityLabel(type, es, "x")).toBe(es[key]);
    }
    expect(activityLabel("sign_in.success", en, "x")).toBe("Signed in");
    expect(activityLabel("sign_in.success", es, "x")).toBe("Inicio de sesión");
  });

  it("falls back to readable words for a type this build does not know, and to the generic label for junk", () => {
    expect(activityLabel("sign_in.new_device", en, "Account event")).toBe("Sign in new device");
    expect(humanizeType("MFA.Enrolled")).toBe("Mfa enrolled");
    expect(activityLabel("._-", en, "Account event")).toBe("Account event");
    expect(activityLabel("", es, "Evento de la cuenta")).toBe("Evento de la cuenta");
    // Only keys of the form activity.<type> are looked up: a type can't pull another message.
    expect(activityLabel("toString", en, "x")).toBe("Tostring");
    expect(activityLabel("constructor", {}, "x")).toBe("Constructor");
  });
});
