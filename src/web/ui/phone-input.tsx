// Phone field: country picker (guessed from the browser language) plus a number that is
// grouped as you type. The parent holds the E.164 value the API wants.
import { useState } from "preact/hooks";
import { useI18n } from "../i18n";
import { countries, countryByIso, formatNational, guessCountry, parseTyped, toE164 } from "./phone";

export function PhoneInput({ id, onValue, error, initial }: { id: string; onValue: (e164: string) => void; error?: string; initial?: string }) {
  const t = useI18n();
  const [country, setCountry] = useState(() => (initial ? parseTyped(initial, guessCountry()).country : guessCountry()));
  const [digits, setDigits] = useState(() => (initial ? parseTyped(initial, guessCountry()).digits : ""));
  const update = (text: string) => {
    const parsed = parseTyped(text, country);
    setCountry(parsed.country);
    setDigits(parsed.digits);
    onValue(toE164(parsed.digits, parsed.country));
  };
  return (
    <fieldset class="phone">
      <legend>{t("field.phone")}</legend>
      <div class="phone-row">
        <div class="field country">
          <label for={`${id}-country`}>{t("field.country")}</label>
          <select
            id={`${id}-country`}
            value={country.iso}
            onChange={(e) => {
              const c = countryByIso(e.currentTarget.value);
              setCountry(c);
              onValue(toE164(digits, c));
            }}
          >
            {countries.map((c) => (
              <option value={c.iso} key={c.iso}>
                {c.name} (+{c.dial})
              </option>
            ))}
          </select>
        </div>
        <div class="field number">
          <label for={id}>{t("field.phone")}</label>
          <input
            id={id}
            type="tel"
            inputMode="tel"
            autocomplete="tel-national"
            dir="ltr"
            value={formatNational(digits, country)}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onInput={(e) => update(e.currentTarget.value)}
          />
        </div>
      </div>
      {error ? <div class="field-error" id={`${id}-error`}>{error}</div> : null}
    </fieldset>
  );
}
