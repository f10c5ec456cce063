// Country picker: an ARIA combobox (WAI-ARIA APG "combobox with listbox popup") over
// every country, searchable by name in the page's language or English, by calling code
// ("+55", "55") and by ISO code ("BR"). Closed, it shows the chosen country; typing
// filters; arrows move, Enter chooses, Escape closes and keeps the choice.
import { useMemo, useRef, useState } from "preact/hooks";
import { language, useI18n } from "../i18n";
import { type Country, countryName, searchCountries } from "./phone";

type Props = { id: string; value: Country; options: Country[]; onChoose: (c: Country) => void };

export function CountryPicker({ id, value, options, onChoose }: Props) {
  const t = useI18n();
  const lang = language.get();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const name = (iso: string) => countryName(iso, lang);
  const sorted = useMemo(() => [...options].sort((a, b) => name(a.iso).localeCompare(name(b.iso), lang)), [options, lang]);
  const shown = useMemo(() => {
    const local = searchCountries(sorted, query, name);
    // Also by English name ("Germany" finds Alemania) when the page is in another language.
    const english = lang === "en" ? [] : searchCountries(sorted, query, (iso) => countryName(iso, "en"));
    return [...local, ...english.filter((c) => !local.includes(c))];
  }, [sorted, query, lang]);
  const label = (c: Country) => `${name(c.iso)} (+${c.dial})`;

  const openAt = (index: number) => {
    setOpen(true);
    setActive(index);
    requestAnimationFrame(() => list.current?.children[index]?.scrollIntoView({ block: "nearest" }));
  };
  const choose = (c: Country | undefined) => {
    if (c) onChoose(c);
    setOpen(false);
    setQuery("");
  };
  const move = (delta: number) => {
    if (!open) return openAt(Math.max(0, shown.indexOf(value)));
    openAt(Math.min(shown.length - 1, Math.max(0, active + delta)));
  };

  return (
    <div class="field country">
      <label for={id} id={`${id}-label`}>
        {t("field.country")}
      </label>
      <div class="combo">
        <input
          id={id}
          type="text"
          role="combobox"
          autocomplete="off"
          spellcheck={false}
          aria-autocomplete="list"
          aria-expanded={open ? "true" : "false"}
          aria-controls={`${id}-list`}
          aria-activedescendant={open && shown[active] ? `${id}-${shown[active]!.iso}` : undefined}
          aria-describedby={`${id}-hint`}
          value={open ? query : label(value)}
          onFocus={(e) => e.currentTarget.select()}
          onClick={() => (open ? setOpen(false) : openAt(Math.max(0, shown.indexOf(value))))}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setOpen(true);
            setActive(0);
          }}
          onBlur={() =>
            setTimeout(() => {
              setOpen(false);
              setQuery("");
            }, 150)
          }
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") move(1);
            else if (e.key === "ArrowUp") move(-1);
            else if (e.key === "PageDown") move(8);
            else if (e.key === "PageUp") move(-8);
            else if (e.key === "Enter" && open) choose(shown[active]);
            else if (e.key === "Escape" && open) choose(undefined);
            else return;
            e.preventDefault(); // Enter picks a country here, it does not submit the form
          }}
        />
        {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA combobox pattern: focus stays in the input (aria-activedescendant, arrow keys handled there), so the options take no focus or keys of their own */}
        <ul id={`${id}-list`} role="listbox" ref={list} aria-labelledby={`${id}-label`} hidden={!open}>
          {open
            ? shown.map((c, i) => (
                // biome-ignore lint/a11y/useKeyWithClickEvents: the WAI-ARIA combobox pattern: focus stays in the input (aria-activedescendant, arrow keys handled there), so the options take no focus or keys of their own
                // biome-ignore lint/a11y/useFocusableInteractive: the WAI-ARIA combobox pattern: focus stays in the input (aria-activedescendant, arrow keys handled there), so the options take no focus or keys of their own
                <li
                  key={c.iso}
                  id={`${id}-${c.iso}`}
                  // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA combobox pattern: focus stays in the input (aria-activedescendant, arrow keys handled there), so the options take no focus or keys of their own
                  role="option"
                  aria-selected={c.iso === value.iso ? "true" : "false"}
                  class={i === active ? "active" : undefined}
                  onMouseDown={(e) => e.preventDefault()} // keep focus in the input
                  onClick={() => choose(c)}
                >
                  {name(c.iso)} <span class="hint">+{c.dial}</span>
                </li>
              ))
            : null}
          {open && shown.length === 0 ? (
            // biome-ignore lint/a11y/useFocusableInteractive: the WAI-ARIA combobox pattern: focus stays in the input (aria-activedescendant, arrow keys handled there), so the options take no focus or keys of their own
            // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA combobox pattern: focus stays in the input (aria-activedescendant, arrow keys handled there), so the options take no focus or keys of their own
            <li role="option" aria-disabled="true" aria-selected="false">
              {t("field.noCountry")}
            </li>
          ) : null}
        </ul>
      </div>
      <div class="hint" id={`${id}-hint`}>
        {t("field.countryHint")}
      </div>
    </div>
  );
}
