// The code sign-in flow (src/auth/code-sign-in.ts) without HTTP: each refusal comes back
// as its own reason, and the route tests (test/routes/otp-sign-in.test.ts) check the wire.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { REACTIVATION_WINDOW_MS } from "../../src/auth/account-lifecycle";
import { signInWithCode } from "../../src/auth/code-sign-in";
import { issueCode } from "../../src/auth/one-time-code";
import { uniquePhone } from "../phone-helpers";
import { emailUser, expectSession, flowContext, phoneUser } from "./flow-helpers";

const setUser = (id: string, column: "email" | "disabled_at" | "deactivated_at", value: string | number) =>
  env.DB.prepare(`update users set ${column} = ? where id = ?`).bind(value, id).run();

describe("signInWithCode", () => {
  it("signs in with an email code, a magic link and a phone code, naming the method", async () => {
    const user = await emailUser();
    const byCode = await issueCode(env, "sign-in", user.email!, user.id);
    const signedIn = await signInWithCode(env, { email: user.email!, code: byCode.code }, flowContext());
    expectSession(signedIn);
    expect(signedIn).toMatchObject({ method: "email_code", user: { id: user.id } });

    const byLink = await issueCode(env, "sign-in", user.email!, user.id);
    expect(await signInWithCode(env, { token: byLink.token }, flowContext())).toMatchObject({ ok: true, method: "magic_link" });

    const phone = uniquePhone();
    const owner = await phoneUser(phone);
    const context = flowContext();
    const byPhone = await issueCode(env, "sign-in", phone, owner.id);
    const before = clock.now();
    expect(await signInWithCode(env, { phone, code: byPhone.code }, context)).toMatchObject({ ok: true, method: "phone_code", user: { id: owner.id } });
    await context.settle();
    const used = await env.DB.prepare("select last_used_at from identities where provider = 'phone' and subject = ?")
      .bind(phone)
      .first<{ last_used_at: number }>();
    expect(used?.last_used_at).toBeGreaterThanOrEqual(before);
  });

  it("refuses the code itself: no challenge, a wrong code, a link of another purpose", async () => {
    const user = await emailUser();
    expect(await signInWithCode(env, { email: user.email!, code: "123456" }, flowContext())).toEqual({
      ok: false,
      reason: "code_refused",
      failure: "no_challenge",
    });
    const issued = await issueCode(env, "sign-in", user.email!, user.id);
    const wrong = issued.code === "000000" ? "111111" : "000000";
    expect(await signInWithCode(env, { email: user.email!, code: wrong }, flowContext())).toEqual({ ok: false, reason: "code_refused", failure: "invalid" });
    const reset = await issueCode(env, "reset-password", user.email!, user.id);
    expect(await signInWithCode(env, { token: reset.token }, flowContext())).toEqual({ ok: false, reason: "code_refused", failure: "invalid" });
  });

  it("refuses a right code whose target no live account owns any more, like a wrong code", async () => {
    const moved = await emailUser();
    const forMoved = await issueCode(env, "sign-in", moved.email!, moved.id);
    await setUser(moved.id, "email", `moved.${moved.email}`);
    expect(await signInWithCode(env, { email: moved.email!, code: forMoved.code }, flowContext())).toEqual({ ok: false, reason: "not_owner" });

    const disabled = await emailUser();
    const forDisabled = await issueCode(env, "sign-in", disabled.email!, disabled.id);
    await setUser(disabled.id, "disabled_at", clock.now());
    expect(await signInWithCode(env, { token: forDisabled.token }, flowContext())).toEqual({ ok: false, reason: "not_owner" });

    // Issued to nobody (an unknown target gets a code nobody receives).
    const phone = uniquePhone();
    const forNobody = await issueCode(env, "sign-in", phone, null);
    expect(await signInWithCode(env, { phone, code: forNobody.code }, flowContext())).toEqual({ ok: false, reason: "not_owner" });
  });

  it("answers a deactivated account with a reactivation offer, and without one after 30 days", async () => {
    const user = await emailUser();
    await setUser(user.id, "deactivated_at", clock.now());
    const first = await issueCode(env, "sign-in", user.email!, user.id);
    const offered = await signInWithCode(env, { email: user.email!, code: first.code }, flowContext());
    expect(offered).toMatchObject({ ok: false, reason: "deactivated", method: "email_code", offer: { token: expect.any(String) } });

    clock.advance(REACTIVATION_WINDOW_MS);
    const late = await issueCode(env, "sign-in", user.email!, user.id);
    expect(await signInWithCode(env, { email: user.email!, code: late.code }, flowContext())).toMatchObject({
      ok: false,
      reason: "deactivated",
      offer: null,
    });
  });
});
