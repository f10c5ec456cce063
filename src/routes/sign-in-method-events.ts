// What happens around every change to an account's ways of signing in besides the
// change itself: the owner hears of it by email, in the account's language. Kept here so
// the phone, identity and password handlers stay straight lines.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { requestLocale } from "../http/locale";
import { sendSignInMethodNotice, type NoticeOwner, type SignInMethodChange } from "../messages/sign-in-method-notices";
import { findUserById } from "../storage/users";

/** Queues the notice after the response; a queue failure never changes the answer. */
export function tellOwnerOfMethodChange(c: Context<AppEnv>, owner: NoticeOwner, change: SignInMethodChange): void {
  c.executionCtx.waitUntil(sendSignInMethodNotice(c.env, owner, change, requestLocale(c)));
}

/** The same notice when only the user id is at hand (second factors and passkeys). */
export async function tellOwner(c: Context<AppEnv>, userId: string, change: SignInMethodChange): Promise<void> {
  const owner = await findUserById(c.env, userId).catch(() => null);
  if (owner) tellOwnerOfMethodChange(c, owner, change);
}
