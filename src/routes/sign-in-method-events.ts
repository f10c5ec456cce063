// What happens around every change to an account's ways of signing in besides the
// change itself: the owner hears of it by email, in the account's language. Kept here so
// the phone, identity and password handlers stay straight lines.
import type { Context } from "hono";
import { config } from "../config";
import type { AppEnv } from "../env";
import { recipientLocale } from "../http/locale";
import { sendMessage } from "../messages/outbox";
import { signInMethodChangedEmail, type SignInMethodChange } from "../messages/sign-in-method-notices";
import { findUserById } from "../storage/users";

type Owner = { id: string; email: string | null; locale?: string | null };

/** Queues the notice after the response; a queue failure never changes the answer. */
export function tellOwnerOfMethodChange(c: Context<AppEnv>, owner: Owner, change: SignInMethodChange): void {
  if (!owner.email) return; // phone- or provider-only accounts without an address: nothing to write to
  const locale = recipientLocale(c, { locale: owner.locale ?? null });
  const queued = sendMessage(c.env, "email", owner.email, signInMethodChangedEmail(config(c.env), locale, change), { userId: owner.id, locale }).catch((e) =>
    console.error("[notice] sign-in method change not queued", change.type, e),
  );
  c.executionCtx.waitUntil(queued);
}

/** The same notice when only the user id is at hand (second factors and passkeys). */
export async function tellOwner(c: Context<AppEnv>, userId: string, change: SignInMethodChange): Promise<void> {
  const owner = await findUserById(c.env, userId).catch(() => null);
  if (owner) tellOwnerOfMethodChange(c, owner, change);
}
