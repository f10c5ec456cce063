// "Fresh sign-in" for sensitive changes (changing the verified phone): the session must
// have STARTED recently. The access token's iat is not enough: every refresh mints a new
// access token, so iat says nothing about when the person last proved who they are.
import { clock } from "../clock";
import { config } from "../config";
import { sessionFence } from "./session";

export async function isFreshSignIn(env: Env, userId: string, sessionId: string): Promise<boolean> {
  const now = clock.now();
  const session = await sessionFence(env, userId).get(sessionId, now);
  return session !== null && now - (session.authenticatedAt ?? session.createdAt) <= config(env).phone.freshSignInSeconds * 1000;
}
