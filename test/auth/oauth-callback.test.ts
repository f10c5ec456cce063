// The OAuth callback flow (src/auth/oauth/callback.ts) without HTTP: each refusal carries
// the event the route audits and the code the error page shows; link and sign-in outcomes
// come back as values. Google stands in for the providers (its token endpoint and keys
// intercepted; the browser side is in test/oauth/*.test.ts).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { finishOAuthCallback } from "../../src/auth/oauth/callback";
import { findProvider, type OAuthProvider } from "../../src/auth/oauth/providers";
import { beginOAuth, type BeginInput } from "../../src/auth/oauth/transaction";
import { randomToken } from "../../src/auth/secrets";
import { startSession } from "../../src/auth/session";
import { uniqueEmail } from "../helpers";
import { googleAnswers, providerKeys } from "../oauth/helpers";
import { emailUser, expectSession, flowContext } from "./flow-helpers";

const google = () => findProvider(env, "google") as OAuthProvider;

/** A started transaction and a Google that answers its code with an id_token for `claims`. */
async function transaction(claims: { sub: string; email: string; email_verified: boolean }, input: BeginInput = { returnTo: "/account", mode: "sign_in" }) {
  const started = await beginOAuth(env, google(), input);
  if (!started) throw new Error("Google not configured");
  const keys = await providerKeys();
  const idToken = await keys.sign({ iss: "https://accounts.google.com", aud: env.GOOGLE_CLIENT_ID, nonce: started.url.searchParams.get("nonce"), ...claims });
  const seen = googleAnswers(idToken, keys);
  const callback = { state: started.url.searchParams.get("state") ?? "", code: "c", binding: started.binding, postedName: null };
  return { callback, seen };
}

const finish = (callback: Parameters<typeof finishOAuthCallback>[2]) => finishOAuthCallback(env, google(), callback, { ...flowContext(), locale: "en" });
const subject = () => `g-${randomToken().slice(0, 12)}`;

describe("finishOAuthCallback", () => {
  it("creates an account and signs in; the same state is refused the second time", async () => {
    const email = uniqueEmail("google");
    const { callback } = await transaction({ sub: subject(), email, email_verified: true });
    const result = await finish(callback);
    expectSession(result);
    expect(result).toMatchObject({ mode: "sign_in", returnTo: "/account", created: true, linkedByEmail: false, user: { email } });
    expect(await finish(callback)).toEqual({ ok: false, code: "oauth_state_invalid", reason: "state_unknown", event: "sign_in.failure", userId: null });
  });

  it("refuses another browser's transaction before any code exchange", async () => {
    const { callback, seen } = await transaction({ sub: subject(), email: uniqueEmail("google"), email_verified: true });
    expect(await finish({ ...callback, binding: randomToken() })).toEqual({
      ok: false,
      code: "oauth_state_invalid",
      reason: "binding_mismatch",
      event: "sign_in.failure",
      userId: null,
    });
    expect(seen).toEqual([]);
  });

  it("refuses an unverified provider email that matches an existing account", async () => {
    const owner = await emailUser();
    const { callback } = await transaction({ sub: subject(), email: owner.email!, email_verified: false });
    expect(await finish(callback)).toEqual({ ok: false, code: "account_exists", reason: "account_exists", event: "sign_in.failure", userId: null });
  });

  it("links to the signed-in account once, refuses another user's identity and a link whose session ended", async () => {
    const user = await emailUser();
    const { sessionId } = await startSession(env, user.id, flowContext().device, "password");
    const sub = subject();
    const link: BeginInput = { returnTo: "/account/security", mode: "link", userId: user.id, sessionId };
    const first = await transaction({ sub, email: uniqueEmail("google"), email_verified: true }, link);
    expect(await finish(first.callback)).toEqual({ ok: true, mode: "link", linked: true, returnTo: "/account/security", userId: user.id, sessionId });
    const again = await transaction({ sub, email: uniqueEmail("google"), email_verified: true }, link);
    expect(await finish(again.callback)).toMatchObject({ ok: true, mode: "link", linked: false });

    const other = await emailUser();
    const otherSession = await startSession(env, other.id, flowContext().device, "password");
    const taken = await transaction(
      { sub, email: uniqueEmail("google"), email_verified: true },
      { ...link, userId: other.id, sessionId: otherSession.sessionId },
    );
    expect(await finish(taken.callback)).toEqual({
      ok: false,
      code: "identity_in_use",
      reason: "identity_in_use",
      event: "identity.link_failed",
      userId: other.id,
    });

    const ended = await transaction({ sub: subject(), email: uniqueEmail("google"), email_verified: true }, { ...link, sessionId: crypto.randomUUID() });
    expect(await finish(ended.callback)).toMatchObject({
      ok: false,
      code: "session_ended",
      reason: "link_session_ended",
      event: "identity.link_failed",
      userId: user.id,
    });
    expect(ended.seen).toEqual([]);
  });
});
