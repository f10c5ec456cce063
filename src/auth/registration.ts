// Email registration without account pre-hijacking (issue 10 §2). A registration writes
// nothing onto an account that someone else could activate: it keeps its own pending
// record (the registrant's password hash, src/storage/registrations.ts) and its own
// challenge, both reached only through the registration token returned to that
// registrant. The account is created when THAT challenge is redeemed, so proving a
// mailbox only ever activates a password the prover set. Every registration takes the
// same steps whether or not the address is taken (one D1 read, one hash, one pending
// record, one challenge); only what is mailed differs. `verifyRegistration` is the
// verify-email flow: the code (or link) in, the new account signed in out.
import { config } from "../config";
import { chargeRateLimit } from "../guard/rate-limit";
import type { Locale } from "../messages/message";
import { sendMessage } from "../messages/outbox";
import { accountExistsEmail, verificationEmail } from "../messages/templates";
import { deleteRegistration, readRegistration, registrationId, writeRegistration, type PendingRegistration } from "../storage/registrations";
import type { User } from "../storage/schema";
import { createVerifiedUser } from "../storage/users";
import { clock } from "../clock";
import { issueCode, redeemCode, redeemLinkToken, type RedeemFailure } from "./one-time-code";
import { randomId, randomToken } from "./secrets";
import { finishFirstFactor, type FirstFactorResult, type SignInContext } from "./sign-in";

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
async function activateRegistration(env: Env, { token, record }: Registration): Promise<User | null> {
  const user = await createVerifiedUser(env, { id: randomId(), email: record.email, name: record.name, passwordHash: record.passwordHash });
  await deleteRegistration(env, token);
  return user;
}

export type RegistrationProof = { registrationToken: string } & ({ code: string } | { token: string });

export type VerifyRegistrationResult =
  | FirstFactorResult
  | { ok: false; reason: "registration_not_found" }
  /** The code or link was refused (no_challenge: the client, not the address, is charged). */
  | { ok: false; reason: "code_refused"; failure: RedeemFailure }
  /** A verified account took the address while this registration waited. */
  | { ok: false; reason: "email_taken" };

/** Redeems this registration's own code or link, creates its account and signs it in. */
export async function verifyRegistration(env: Env, proof: RegistrationProof, context: SignInContext): Promise<VerifyRegistrationResult> {
  const record = await readRegistration(env, proof.registrationToken);
  if (!record) return { ok: false, reason: "registration_not_found" };
  const holder = registrationId(proof.registrationToken);
  const redeemed =
    "token" in proof
      ? await redeemLinkToken(env, "verify-email", proof.token, holder)
      : await redeemCode(env, "verify-email", record.email, proof.code, holder);
  if (!redeemed.ok) return { ok: false, reason: "code_refused", failure: redeemed.reason };
  const user = await activateRegistration(env, { token: proof.registrationToken, record });
  if (!user) return { ok: false, reason: "email_taken" };
  // A new account has no second factor yet, but every sign-in ends the same one way.
  return finishFirstFactor(env, { user, method: "email_verification", device: context.device, binding: context.binding });
}
