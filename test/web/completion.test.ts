// The SPA's routing decision for the phone policy (src/web/completion.ts), under Node.
import { describe, expect, it } from "vitest";
import { afterOAuthSignIn, phoneStepRedirect, safePath } from "../../src/web/completion";

describe("phone step routing", () => {
  it("sends a pending session from any other page to the phone step, remembering signed-in pages", () => {
    expect(phoneStepRedirect("/account", "", "phone")).toBe("/account/phone?returnTo=%2Faccount");
    expect(phoneStepRedirect("/settings/security", "", "phone")).toBe("/account/phone?returnTo=%2Fsettings%2Fsecurity");
    expect(phoneStepRedirect("/orgs/o1/members", "", "phone")).toBe("/account/phone?returnTo=%2Forgs%2Fo1%2Fmembers");
    expect(phoneStepRedirect("/verify", "", "phone")).toBe("/account/phone?returnTo=%2Fdashboard");
    expect(phoneStepRedirect("/account", "?tab=1#x", "phone")).toBe(`/account/phone?returnTo=${encodeURIComponent("/account?tab=1#x")}`);
    expect(phoneStepRedirect("/sign-in", "?next=//evil.example", "phone")).toBe("/account/phone?returnTo=%2Fdashboard");
    expect(phoneStepRedirect("/", "", "phone")).toBe("/account/phone?returnTo=%2Fdashboard");
  });

  it("leaves the phone step, the OAuth landings and complete sessions alone", () => {
    for (const path of ["/account/phone", "/oauth/done", "/oauth/error", "/error"]) expect(phoneStepRedirect(path, "", "phone")).toBeNull();
    expect(phoneStepRedirect("/account", "", null)).toBeNull();
    expect(phoneStepRedirect("/account", "", "something-else")).toBeNull();
  });

  it("after /oauth/done goes to the phone step when the callback or the session says so, else to returnTo", () => {
    const q = (s: string) => new URLSearchParams(s);
    expect(afterOAuthSignIn(q("signedIn=1&returnTo=%2Faccount%2Fsettings&phoneVerificationRequired=1"), null)).toBe(
      `/account/phone?returnTo=${encodeURIComponent("/account/settings")}`,
    );
    expect(afterOAuthSignIn(q("signedIn=1&returnTo=%2Faccount"), "phone")).toBe("/account/phone?returnTo=%2Faccount");
    expect(afterOAuthSignIn(q("signedIn=1&returnTo=%2Faccount%2Fsettings"), null)).toBe("/account/settings");
    expect(afterOAuthSignIn(q("signedIn=1&returnTo=https%3A%2F%2Fevil.example"), null)).toBe("/dashboard");
    expect(afterOAuthSignIn(q("signedIn=1&returnTo=%2F%2Fevil.example&phoneVerificationRequired=1"), null)).toBe("/account/phone?returnTo=%2Fdashboard");
  });

  it("keeps returnTo on this site", () => {
    for (const bad of [null, "", "https://evil.example", "//evil.example", "/\\evil.example", "/a\nb", "javascript:alert(1)"])
      expect(safePath(bad)).toBe("/dashboard");
    expect(safePath("/account?x=1")).toBe("/account?x=1");
  });
});
