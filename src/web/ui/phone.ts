// Phone numbers as people type them: every country libphonenumber knows (./calling-codes,
// generated), names from Intl.DisplayNames, a default country, and reading what was
// typed or pasted. An international number ("+55 11 91234 5678", "0044 7700 900123",
// "011 44…" from North America) is read as what it is, whatever country is selected; a
// national one gets the selected country's code (without its trunk prefix: "07700…" in
// GB is +44 7700…). Not a numbering plan: the server validates. Pure (no DOM), so it is
// unit-tested under Node.
import { CALLING_CODES } from "./calling-codes";

export type Country = {
  iso: string;
  dial: string /** national (trunk) prefix */;
  prefix: string /** international prefix besides 00 */;
  idd: string;
  leading: RegExp | null;
};

export const countries: Country[] = CALLING_CODES.split(",").map((row) => {
  const [iso = "", dial = "", prefix = "", idd = "", leading = ""] = row.split(" ");
  return { iso, dial, prefix, idd, leading: leading ? new RegExp(`^(?:${leading})`) : null };
});

const byIso = new Map(countries.map((c) => [c.iso, c]));
export const countryByIso = (iso: string) => byIso.get(iso.toUpperCase()) ?? byIso.get("US")!;

/** Countries that use `dial`, main one first. */
const byDial = (dial: string) => countries.filter((c) => c.dial === dial);

/** The country's name in `lang` (its ISO code if the browser has no name for it). */
export function countryName(iso: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: "region" }).of(iso) ?? iso;
  } catch {
    return iso;
  }
}

const BASE_LANGUAGE_COUNTRY: Record<string, string> = { es: "ES", fr: "FR", de: "DE", pt: "BR", it: "IT", ja: "JP", en: "US" };

/**
 * The default country: the server's (request.cf.country), else the browser languages'
 * region (en-GB -> GB), else the base language's usual country, else US; always one of
 * `allowed` when the deployment limits countries.
 */
export function guessCountry(server: string | null, languages: readonly string[], allowed: readonly string[] = []): Country {
  const ok = (iso: string | null | undefined) => !!iso && byIso.has(iso) && (allowed.length === 0 || allowed.includes(iso));
  const regions = languages.map((tag) => tag.split("-")[1]?.toUpperCase());
  const bases = languages.map((tag) => BASE_LANGUAGE_COUNTRY[tag.split("-")[0]!.toLowerCase()]);
  const pick = [server, ...regions, ...bases, "US", ...allowed].find(ok);
  return countryByIso(pick ?? "US");
}

// Usual groupings for display; anything else is grouped in threes (the last group up to four).
const GROUPS: Record<string, number[]> = {
  US: [3, 3, 4],
  CA: [3, 3, 4],
  MX: [2, 4, 4],
  ES: [3, 3, 3],
  AR: [2, 4, 4],
  CO: [3, 3, 4],
  CL: [1, 4, 4],
  PE: [3, 3, 3],
  GB: [4, 6],
  IE: [2, 3, 4],
  DE: [3, 8],
  FR: [1, 2, 2, 2, 2],
  IN: [5, 5],
  AU: [1, 4, 4],
  BR: [2, 5, 4],
};

/** National digits grouped for display: "5551234567" -> "555 123 4567". */
export function formatNational(digits: string, country: Country): string {
  const groups = GROUPS[country.iso] ?? [];
  const parts: string[] = [];
  let i = 0;
  for (const size of groups) {
    if (i >= digits.length) break;
    parts.push(digits.slice(i, i + size));
    i += size;
  }
  for (let rest = digits.slice(i); rest; ) {
    const size = rest.length === 4 ? 4 : 3;
    parts.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return parts.join(" ");
}

type TypedPhone = {
  /** The number's country: the selected one for a national number, else the one its code names. */
  country: Country;
  /** Digits after the calling code (international) or as typed (national). */
  digits: string;
  /** Typed with + / 00 / the country's own international prefix. */
  international: boolean;
  /** For the API ("" while incomplete). */
  e164: string;
  /** What the field shows. */
  display: string;
};

const MAX_DIGITS = 15; // E.164

/** Reads what the user typed or pasted into the number field. */
export function readPhone(text: string, selected: Country): TypedPhone {
  // "+44 (0)7700 900123": the bracketed trunk prefix is not dialled from abroad.
  const cleaned = text.replace(/\(0\)/g, "");
  const all = cleaned.replace(/\D/g, "");
  let intl: string | null = null;
  if (cleaned.trim().startsWith("+")) intl = all;
  else if (all.startsWith("00")) intl = all.slice(2);
  else if (selected.idd && all.startsWith(selected.idd)) intl = all.slice(selected.idd.length);

  if (intl === null) {
    const digits = all.slice(0, MAX_DIGITS);
    const national = selected.prefix && digits.startsWith(selected.prefix) ? digits.slice(selected.prefix.length) : digits;
    return { country: selected, digits, international: false, e164: national ? `+${selected.dial}${national}` : "", display: formatNational(digits, selected) };
  }
  intl = intl.slice(0, MAX_DIGITS);
  // Calling codes are prefix-free (ITU-T E.164): at most one of the 1-3 digit prefixes is a code.
  for (const length of [1, 2, 3]) {
    const candidates = byDial(intl.slice(0, length));
    if (!candidates.length) continue;
    const digits = intl.slice(length);
    const country =
      candidates.find((c) => c.leading?.test(digits)) ?? (candidates.some((c) => c.iso === selected.iso) && !selected.leading ? selected : candidates[0]!);
    return { country, digits, international: true, e164: digits ? `+${intl}` : "", display: `+${country.dial} ${formatNational(digits, country)}`.trimEnd() };
  }
  return { country: selected, digits: intl, international: true, e164: "", display: `+${intl}` };
}

/** The country list filtered by what the user searched: a name, a calling code ("+55", "55") or an ISO code ("BR"). */
export function searchCountries(list: readonly Country[], query: string, name: (iso: string) => string): Country[] {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const q = fold(query.trim());
  if (!q) return [...list];
  const code = /^\+?\d+$/.test(q) ? q.replace("+", "") : null;
  return list.filter((c) => (code ? c.dial.startsWith(code) : c.iso.toLowerCase() === q || fold(name(c.iso)).includes(q)));
}
