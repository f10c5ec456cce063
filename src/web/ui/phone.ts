// Phone numbers: a small table of countries with their calling code and the usual
// grouping, a guess from the browser's language region, as-you-type formatting for
// display and E.164 (+15551234567) for the API. Not a full numbering plan: the server
// validates; this only helps people type.
export type Country = { iso: string; dial: string; groups: number[]; name: string };

export const countries: Country[] = [
  { iso: "US", dial: "1", groups: [3, 3, 4], name: "United States" },
  { iso: "CA", dial: "1", groups: [3, 3, 4], name: "Canada" },
  { iso: "MX", dial: "52", groups: [2, 4, 4], name: "México" },
  { iso: "ES", dial: "34", groups: [3, 3, 3], name: "España" },
  { iso: "AR", dial: "54", groups: [2, 4, 4], name: "Argentina" },
  { iso: "CO", dial: "57", groups: [3, 3, 4], name: "Colombia" },
  { iso: "CL", dial: "56", groups: [1, 4, 4], name: "Chile" },
  { iso: "PE", dial: "51", groups: [3, 3, 3], name: "Perú" },
  { iso: "GB", dial: "44", groups: [4, 6], name: "United Kingdom" },
  { iso: "IE", dial: "353", groups: [2, 3, 4], name: "Ireland" },
  { iso: "DE", dial: "49", groups: [3, 8], name: "Deutschland" },
  { iso: "FR", dial: "33", groups: [1, 2, 2, 2, 2], name: "France" },
  { iso: "IN", dial: "91", groups: [5, 5], name: "India" },
  { iso: "AU", dial: "61", groups: [1, 4, 4], name: "Australia" },
];

const byIso = new Map(countries.map((c) => [c.iso, c]));

/** en-GB -> GB; plain "es" -> ES, "en" -> US. */
export function guessCountry(languages: readonly string[] = navigator.languages ?? [navigator.language]): Country {
  for (const tag of languages) {
    const region = tag.split("-")[1]?.toUpperCase();
    if (region && byIso.has(region)) return byIso.get(region)!;
  }
  const base = languages[0]?.split("-")[0]?.toLowerCase();
  return byIso.get(base === "es" ? "ES" : base === "fr" ? "FR" : base === "de" ? "DE" : "US")!;
}

export const countryByIso = (iso: string) => byIso.get(iso) ?? countries[0]!;

/** National digits grouped for display: "5551234567" -> "555 123 4567". */
export function formatNational(digits: string, country: Country): string {
  const parts: string[] = [];
  let i = 0;
  for (const size of country.groups) {
    if (i >= digits.length) break;
    parts.push(digits.slice(i, i + size));
    i += size;
  }
  if (i < digits.length) parts.push(digits.slice(i));
  return parts.join(" ");
}

/** What the user typed -> national digits; a pasted "+34 ..." switches country. */
export function parseTyped(text: string, country: Country): { country: Country; digits: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith("+")) {
    const all = trimmed.replace(/\D/g, "");
    const match = [...countries].sort((a, b) => b.dial.length - a.dial.length).find((c) => all.startsWith(c.dial));
    if (match) return { country: match.dial === country.dial ? country : match, digits: all.slice(match.dial.length).slice(0, 14) };
  }
  return { country, digits: trimmed.replace(/\D/g, "").slice(0, 14) };
}

export const toE164 = (digits: string, country: Country) => (digits ? `+${country.dial}${digits.replace(/^0+/, "")}` : "");
