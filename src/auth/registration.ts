// Email registration without account pre-hijacking (issue 10 §2). A registration writes
// nothing onto an account that someone else could activate: it keeps its own pending
// record (the registrant's password hash, src/storage/registrations.ts) and its own
// challenge, both reached only through the registration token returned to that
// registrant. The account is created when THAT challenge is redeemed, so proving a
// mailbox only ever activates a password the prover set. Every registration takes the
// same steps whether or not the address is taken (one D1 read, one hash, one pending
// record, one challenge); only what is mailed differs.
import { config } from "../config";
import { chargeRateLimit } from "../guard/rate-limit";
import type { Locale } from "../messages/message";
import { sendMessage } from "../messages/outbox";
import { accountExistsEmail, verificationEmail } from "../messages/templates";
import { deleteRegistration, registrationId, writeRegistration, type PendingRegistration } from "../storage/registrations";
import type { User } from "../storage/schema";
import { createVerifiedUser } from "../storage/users";
import { clock } from "../clock";
import { issueCode } from "./one-time-code";
import { randomId, randomToken } from "./secrets";

/** A day to find the mail and type the code; then the password hash is gone with the record. */
const REGISTRATION_TTL_SECONDS = 24 * 3600;

export type Registration = { token: string; record: PendingRegistration };

export async function startRegistration(env: Env, input: { email: string; name: string | null; passwordHash: string }): Promise<Registration> {
  const token = randomToken();
  const record: PendingRegistration = { ...input, createdAt: clock.now() };
  await writeRegistration(env, token, record, REGISTRATION_TTL_SECONDS);
  return { token, record };
}

/**
 * Issues this registration's own challenge (replacing only its own earlier one). `code`
 * mails it; `notice` tells an existing owner someone tried to register instead; `none`
 * sends nothing; `locale` is the recipient's (the owner's for a notice). A challenge is issued in every case, so the verify step fails the same way
 * for taken and free addresses.
 */
export async function sendRegistrationCode(env: Env, { token, record }: Registration, mail: "code" | "notice" | "none", locale: Locale): Promise<void> {
  const { code, token: linkToken, expiresAt } = await issueCode(env, "verify-email", record.email, null, registrationId(token));
  if (mail === "code") await sendMessage(env, "email", record.email, verificationEmail(config(env), locale, code, linkToken), { expiresAt, locale });
  else if (mail === "notice" && (await noticeAllowed(env, record.email)))
    await sendMessage(env, "email", record.email, accountExistsEmail(config(env), locale), { locale });
}

/**
 * "Account exists" notices: at most a few a day per address (policy "auth.register-notice"),
 * charged only when one would be sent. Registering a taken address is free to repeat from
 * many IPs, and each would otherwise mail the owner; past the cap, silently none.
 */
async function noticeAllowed(env: Env, email: string): Promise<boolean> {
  const charge = await chargeRateLimit(env, "auth.register-notice", { target: email });
  return !charge || charge.allowed;
}

/**
 * Called once this registration's code or link was redeemed: creates the verified account
 * with the registrant's own password. Null when a verified account took the address meanwhile.
 */
export async function activateRegistration(env: Env, { token, record }: Registration): Promise<User | null> {
  const user = await createVerifiedUser(env, { id: randomId(), email: record.email, name: record.name, passwordHash: record.passwordHash });
  await deleteRegistration(env, token);
  return user;
}
