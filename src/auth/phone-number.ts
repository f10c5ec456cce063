// Phone numbers: what a person types -> E.164, or a clear reason why not.
// libphonenumber-js through its `core` entry with the "mobile" metadata only: codes go
// by SMS, WhatsApp or Telegram, so a number must be a valid *mobile* number, and the
// mobile set is the smallest metadata that can tell (the "min" set only checks lengths,
// so it would accept landlines and mistyped numbers; "max"/"full" add types we never
// use). We also drop its formatting rules (scripts/build-phone-metadata.mjs): we never
// format. The metadata is not bundled: the caller passes it (src/auth/phone-metadata.ts
// reads it from the static assets once per isolate; see README "Phones and one-time codes").
import {
  isSupportedCountry,
  parsePhoneNumberWithError,
  ParseError,
  validatePhoneNumberLength,
  type CountryCode,
  type MetadataJson,
  type PhoneNumber,
} from "libphonenumber-js/core";

export type PhoneMetadata = MetadataJson;

export type PhoneNumberResult = { ok: true; e164: string; country: string | null; callingCode: string } | { ok: false; reason: string };

/** Longest E.164 number is 15 digits; allow room for spaces, dashes and brackets. */
const MAX_INPUT_LENGTH = 32;
// What people write between digits. Anything else (letters, other symbols) is refused
// before parsing: the parser would otherwise extract a number out of arbitrary text.
const TYPED_FORM = /^\+?[0-9 ()./-]+$/;

/**
 * Parses `input` into E.164. `defaultRegion` (ISO 3166-1 alpha-2, from request.cf.country)
 * lets people type a national number; `allowedCountries` (empty = all) refuses numbers of
 * other countries, which also caps exposure to SMS pumping.
 */
export function parsePhoneNumber(
  metadata: PhoneMetadata,
  input: string,
  defaultRegion: string | undefined,
  allowedCountries: readonly string[] = [],
): PhoneNumberResult {
  const text = input.normalize("NFC").trim();
  if (text.length === 0) return fail("Enter a phone number.");
  if (text.length > MAX_INPUT_LENGTH) return fail("The phone number is too long.");
  if (/\p{L}/u.test(text)) return fail("A phone number cannot contain letters.");
  // libphonenumber would quietly map e.g. Arabic-Indic or full-width digits to 0-9; we
  // refuse them so what is stored is exactly what the person will see in messages.
  if (/[^\x00-\x7f]/.test(text) && /\p{Nd}/u.test(text.replace(/[0-9]/g, ""))) return fail("Use the digits 0-9 only.");
  if (!TYPED_FORM.test(text)) return fail("A phone number may only contain digits, spaces, dashes, dots, brackets and a leading +.");
  const digits = text.replace(/\D/g, "");
  if (digits.length > 17) return fail("The phone number is too long.");
  if (digits.length < 3) return fail("The phone number is too short.");

  const region = defaultRegion && isSupportedCountry(defaultRegion as CountryCode, metadata) ? (defaultRegion as CountryCode) : undefined;
  let parsed: PhoneNumber;
  try {
    parsed = parsePhoneNumberWithError(text, { defaultCountry: region, extract: false }, metadata);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return fail(parseErrorReason(e.message, text.startsWith("+")));
  }
  if (!parsed.isValid()) {
    const length = validatePhoneNumberLength(parsed.number, metadata);
    if (length === "TOO_SHORT" || length === "TOO_LONG") return fail(parseErrorReason(length, true));
    const where = parsed.country ? ` in ${parsed.country}` : "";
    return fail(`This is not a valid mobile number${where}. Check the digits and the country code.`);
  }
  const country = parsed.country ?? null;
  if (allowedCountries.length > 0 && (!country || !allowedCountries.includes(country))) {
    return fail(`Phone numbers from ${country ?? `+${parsed.countryCallingCode}`} are not accepted here.`);
  }
  return { ok: true, e164: parsed.number, country, callingCode: parsed.countryCallingCode };
}

function parseErrorReason(code: string, international: boolean): string {
  switch (code) {
    case "INVALID_COUNTRY":
      return international ? "The country code is not valid." : "Start the number with + and the country code.";
    case "TOO_SHORT":
      return "The phone number is too short.";
    case "TOO_LONG":
      return "The phone number is too long.";
    default:
      return "This is not a phone number.";
  }
}

const fail = (reason: string): PhoneNumberResult => ({ ok: false, reason });

/** "+34 6•• ••• •78"-style hint for responses that must not echo the whole number. */
export function maskPhoneNumber(e164: string): string {
  return e164.length <= 6 ? e164 : `${e164.slice(0, 4)}${"•".repeat(e164.length - 6)}${e164.slice(-2)}`;
}
