// The language of a message: the recipient account's choice (users.locale), else the
// language of the request that caused it (Accept-Language), else English.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { accountLocale, chooseLocale } from "../messages/code-texts";
import type { Locale } from "../messages/message";

export function requestLocale(c: Context<AppEnv>, explicit?: string): Locale {
  return chooseLocale(explicit, c.req.header("accept-language"));
}

/** For a message to `user` (null: nobody known yet). */
export function recipientLocale(c: Context<AppEnv>, user: { locale: string | null } | null, explicit?: string): Locale {
  return accountLocale(user, requestLocale(c, explicit));
}
