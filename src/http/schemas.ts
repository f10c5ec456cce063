// Shared field schemas. Limits are generous for people and tight for abuse.
import * as z from "zod/mini";
import { PASSWORD_MAX_LENGTH } from "../auth/password-policy";
import { USERNAME_PATTERN } from "../auth/profile-rules";
import { ID } from "../model/ids";

// A pragmatic address check (the real check is that mail arrives). Normalised FIRST
// (NFKC, trim, lower case: the same key storage uses), so what is checked is what is
// stored: "\uFE6B" or a full-width "@" become a second "@" only after NFKC. Refused:
// spaces, control and format characters (zero-width, bidi overrides: look-alikes of
// another address), RFC 5322 specials that only make sense quoted (<>()[]\,;:"), and
// domains that are not dot-separated labels. RFC 5321 length limits.
export const email = z
  .string()
  .check(
    z.normalize("NFKC"),
    z.trim(),
    z.toLowerCase(),
    z.maxLength(254, "Email address is too long."),
    z.regex(
      /^[^\s@\p{Cc}\p{Cf}<>()[\]\\,;:"]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63}$/u,
      "Enter a valid email address.",
    ),
  );

// Length rules live in the password policy (it reports them with a reason); this only
// caps what we are willing to hash. 4x for NFKC expansion headroom.
export const password = z.string().check(z.minLength(1, "Enter a password."), z.maxLength(PASSWORD_MAX_LENGTH * 4, "Password is too long."));

export const code = z.string().check(z.trim(), z.regex(/^\d{6}$/, "Enter the 6-digit code."));

export const linkToken = z.string().check(z.trim(), z.regex(ID.token256, "The link is not valid."));

export const name = z
  .string()
  .check(z.trim(), z.maxLength(100, "Name is too long."), z.regex(/^[^\p{Cc}\p{Cf}]*$/u, "Name contains characters that are not allowed."));

export const refreshTokenField = z.string().check(z.maxLength(256, "Refresh token is too long."));

// Phones: the parser gives the precise reason (letters, length, country...), so the
// schema only caps the size; `channel` and `locale` are optional everywhere.
export const phone = z.string().check(z.maxLength(256, "The phone number is too long."));
export const channel = z.enum(["sms", "whatsapp", "telegram"]);
export const locale = z
  .string()
  .check(z.maxLength(35, "Locale is too long."), z.regex(/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{1,8})*$/, "Use a language tag such as en or es-MX."));

// WebAuthn responses as PublicKeyCredential.toJSON() gives them (base64url fields). Sizes
// are generous for real authenticators (credential ids <= 1023 bytes, RSA keys, attestation
// certificates) and stop junk before any parsing.
const b64url = (max: number) => z.string().check(z.maxLength(max, "Too long."), z.regex(/^[A-Za-z0-9_-]*={0,2}$/, "Expected base64url."));
export const passkeyAssertion = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(4096),
    signature: b64url(1024),
    userHandle: z.optional(z.nullable(b64url(128))),
  }),
});
export const passkeyRegistration = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(16384),
    transports: z.optional(z.array(z.string().check(z.maxLength(32))).check(z.maxLength(10))),
  }),
});
export const passkeyName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, "Enter a name."),
    z.maxLength(64, "Name is too long."),
    z.regex(/^[^\p{Cc}\p{Cf}]*$/u, "Name contains characters that are not allowed."),
  );
export const recoveryCode = z.string().check(z.maxLength(64, "Recovery code is too long."));
// Lower-cased before the check, so what is checked is what is stored (and compared).
export const username = z.string().check(z.trim(), z.toLowerCase(), z.regex(USERNAME_PATTERN, "Use 3 to 30 characters: a-z, 0-9, '_', '.' or '-'."));
/** Languages every message template exists in (src/messages). */
export const messageLocale = z.enum(["en", "es"]);
export const timeZone = z.string().check(z.trim(), z.minLength(1, "Enter a time zone."), z.maxLength(64, "Time zone is too long."));
