// Phone field: country picker + number. The default country is the server's idea of
// where the caller is (cf.country), then the browser language's region. A number typed
// or pasted in international form ("+55 …", "0044 …") is read as such and the picker
// follows it; a national number takes the picked country. The parent gets E.164.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type PhoneChannel, type PhoneOptions, phoneOptions } from "../flows";
import { useI18n } from "../i18n";
import { FieldNotes } from "./fields";
import { CountryPicker } from "./country-picker";
import { countries, guessCountry, readPhone } from "./phone";

const browserLanguages = () => navigator.languages ?? [navigator.language];

/** GET /api/auth/phone/options (null until it answers). */
export function usePhoneOptions(): PhoneOptions | null {
  const [options, setOptions] = useState<PhoneOptions | null>(null);
  useEffect(() => void phoneOptions().then(setOptions), []);
  return options;
}

/** The channel a page sends codes by: the server's default until the user picks another. */
export function useChannel(options: PhoneOptions | null): [PhoneChannel, (c: PhoneChannel) => void] {
  const [picked, setPicked] = useState<PhoneChannel | null>(null);
  const channel = picked && options?.channels.includes(picked) ? picked : (options?.channels[0] ?? "sms");
  return [channel, setPicked];
}

export function PhoneInput({ id, onValue, error, initial }: { id: string; onValue: (e164: string) => void; error?: string; initial?: string }) {
  const t = useI18n();
  const options = usePhoneOptions();
  const touched = useRef(Boolean(initial));
  const [country, setCountry] = useState(() => guessCountry(null, browserLanguages()));
  const [text, setText] = useState(() => (initial ? readPhone(initial, country).display : ""));
  const allowed = useMemo(() => (options?.allowedCountries.length ? countries.filter((c) => options.allowedCountries.includes(c.iso)) : countries), [options]);
  const phone = readPhone(text, country);

  // The server's answer can arrive after the first paint: take its country unless the user already chose.
  useEffect(() => {
    if (options && !touched.current) setCountry(guessCountry(options.country, browserLanguages(), options.allowedCountries));
  }, [options]);
  useEffect(() => onValue(phone.e164), [phone.e164]);

  return (
    <fieldset class="phone">
      <legend>{t("field.phone")}</legend>
      <div class="phone-row">
        <CountryPicker
          id={`${id}-country`}
          value={phone.country}
          options={allowed}
          onChoose={(c) => {
            touched.current = true;
            setCountry(c);
            // Picking a country for a number typed in international form: keep its national part.
            if (phone.international) setText(phone.digits);
          }}
        />
        <div class="field number">
          <label for={id}>{t("field.phone")}</label>
          <input
            id={id}
            type="tel"
            inputMode="tel"
            autocomplete="tel"
            dir="ltr"
            value={phone.display}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
            onInput={(e) => {
              touched.current = true;
              const next = readPhone(e.currentTarget.value, country);
              setText(e.currentTarget.value);
              e.currentTarget.value = next.display;
            }}
          />
        </div>
      </div>
      <FieldNotes id={id} hint={t("field.phoneHint")} error={error} />
    </fieldset>
  );
}
