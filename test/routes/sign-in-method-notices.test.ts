// The owner hears of every change to how the account signs in: phone added, changed or
// removed, provider linked or unlinked, password changed or reset, in the account's
// language (Accept-Language until accounts have a locale). Each notice is asserted as
// queued to the owner's address (the dev outbox keeps a copy of what was queued).
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, codeFrom, linkTokenFrom, signUp, STRONG_PASSWORD, waitForMessages } from "../helpers";
import { BINDING_COOKIE, callbackPath, cookieFrom, githubAs, landing, navigate } from "../oauth/helpers";
import { captureQueue } from "../messages/queue-helpers";
import { latestMessage, uniquePhone, userWithPhone } from "../phone-helpers";

const SPANISH = { "accept-language": "es-ES,es;q=0.9,en;q=0.5" };

/** The newest message to `to` once it has `count` messages (signUp's verification email is the first). */
async function noticeTo(to: string, count: number) {
  const [latest] = await waitForMessages(to, count);
  return latest!;
}

describe("sign-in method change notices", () => {
  it("phone added: the owner is told, in English, with only the number's last two digits", async () => {
    const { email, phone } = await userWithPhone();
    const notice = await noticeTo(email, 2);
    expect(notice.to).toBe(email);
    expect(notice.subject).toBe("A phone was added to your Edge Auth account");
    expect(notice.text).toContain(`ending in ${phone.slice(-2)}`);
    expect(notice.text).not.toContain(phone.slice(1));
    expect(notice.html).toContain('lang="en"');
  });

  it("phone changed: the owner is told in Spanish when the change was made in Spanish", async () => {
    const { email } = await userWithPhone();
    const login = await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    const next = uniquePhone();
    expect((await call("/api/me/phone", { json: { phone: next }, token: login.body.accessToken, headers: SPANISH })).status).toBe(202);
    const code = codeFrom(await latestMessage(next));
    expect((await call("/api/me/phone/verify", { json: { phone: next, code }, token: login.body.accessToken, headers: SPANISH })).status).toBe(200);
    const notice = await noticeTo(email, 3);
    expect(notice.subject).toBe("Se ha cambiado el teléfono de tu cuenta de Edge Auth");
    expect(notice.text).toContain(`terminado en ${next.slice(-2)}`);
    expect(notice.html).toContain('lang="es"');
  });

  it("phone removed (unlinked as an identity): the owner is told", async () => {
    const { email, accessToken } = await userWithPhone();
    const phone = (await call("/api/me/identities", { token: accessToken })).body.identities.find((i: { provider: string }) => i.provider === "phone");
    expect((await call(`/api/me/identities/${phone.id}`, { method: "DELETE", token: accessToken })).status).toBe(204);
    expect((await noticeTo(email, 3)).subject).toBe("The phone was removed from your Edge Auth account");
  });

  it("provider linked, then unlinked: the owner is told each time", async () => {
    const account = await signUp();
    const start = await call("/api/me/identities/github", { json: {}, token: account.accessToken });
    const id = Math.floor(Math.random() * 1e9);
    githubAs(id);
    const state = new URL(start.body.authorizationUrl).searchParams.get("state")!;
    const res = await navigate(callbackPath("github", { state, code: "c" }), { cookie: cookieFrom(start.headers, BINDING_COOKIE)!, headers: SPANISH });
    expect(landing(res).params.linked).toBe("github");
    expect((await noticeTo(account.email, 2)).subject).toBe("GitHub se ha vinculado a tu cuenta de Edge Auth");

    const [github] = (await call("/api/me/identities", { token: account.accessToken })).body.identities;
    expect((await call(`/api/me/identities/${github.id}`, { method: "DELETE", token: account.accessToken })).status).toBe(204);
    const unlinked = await noticeTo(account.email, 3);
    expect(unlinked.subject).toBe("GitHub was unlinked from your Edge Auth account");
    expect(unlinked.text).toContain("/settings/security");
  });

  it("password changed: the owner is told in the language of the request", async () => {
    const account = await signUp();
    const res = await call("/api/me/password", {
      json: { currentPassword: STRONG_PASSWORD, newPassword: "a brand new passphrase for testing" },
      token: account.accessToken,
      headers: SPANISH,
    });
    expect(res.status).toBe(204);
    const notice = await noticeTo(account.email, 2);
    expect(notice.subject).toBe("Se ha cambiado la contraseña de tu cuenta de Edge Auth");
    expect(notice.text).not.toContain("a brand new passphrase");
  });

  it("password reset: the owner is told, and the notice says every session ended", async () => {
    const account = await signUp();
    clock.advance(61_000);
    expect((await call("/api/auth/password/forgot", { json: { email: account.email } })).status).toBe(202);
    const token = linkTokenFrom(await noticeTo(account.email, 2));
    expect((await call("/api/auth/password/reset", { json: { token, password: "a brand new passphrase for testing" } })).status).toBe(204);
    const notice = await noticeTo(account.email, 3);
    expect(notice.subject).toBe("Your Edge Auth password was changed");
    expect(notice.text).toMatch(/reset with a code sent to this address, and every session was signed out/);
  });

  it("the notice goes on the MESSAGES queue to the owner, with their user id and locale, and no secret", async () => {
    const account = await signUp();
    const queued = captureQueue();
    const newPassword = "a brand new passphrase for testing";
    expect(
      (await call("/api/me/password", { json: { currentPassword: STRONG_PASSWORD, newPassword }, token: account.accessToken, headers: SPANISH })).status,
    ).toBe(204);
    await noticeTo(account.email, 2);
    const notice = queued.find((m) => m.kind === "sign-in-method-password-changed");
    expect(notice).toMatchObject({ channel: "email", to: account.email, userId: account.user.id, locale: "es" });
    expect(`${notice!.text}${notice!.html}`).not.toContain(newPassword);
    expect(`${notice!.text}${notice!.html}`).not.toContain(STRONG_PASSWORD);
  });
});
