// Language: chosen from the browser, switchable, remembered in localStorage (not a
// secret). Sets <html lang> and <html dir>; the CSS uses logical properties only, so a
// right-to-left language needs no other change.
import { signal, useSignal } from "../signal";
import { en, type MessageKey } from "./en";
import { es } from "./es";
import { activityLabel } from "../activity-labels";

const dictionaries: Record<string, Record<MessageKey, string>> = { en, es };
export const languages = [
  { code: "en", label: "English" },
  { code: "es", label: "Español" },
] as const;
const RTL = new Set(["ar", "he", "fa", "ur"]);
const STORE_KEY = "edge-auth.lang";

function initialLanguage(): string {
  const saved = safeStorage()?.getItem(STORE_KEY);
  if (saved && saved in dictionaries) return saved;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split("-")[0]!;
    if (base in dictionaries) return base;
  }
  return "en";
}

function safeStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

export const language = signal(initialLanguage());

function applyToDocument(lang: string) {
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.has(lang) ? "rtl" : "ltr";
}
applyToDocument(language.get());

export function setLanguage(lang: string): void {
  if (!(lang in dictionaries)) return;
  safeStorage()?.setItem(STORE_KEY, lang);
  applyToDocument(lang);
  language.set(lang);
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dictionaries[language.get()]?.[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

/** The translated message for an API error code, or the server's own words. */
export function problemMessage(problem: { code: string; detail?: string; title?: string }): string {
  const key = `error.${problem.code}` as MessageKey;
  return key in en ? t(key) : problem.detail || problem.title || t("error.generic");
}

/** The label of an audit event type in "Recent activity" (English if this language lacks it, else readable raw text). */
export function activityText(type: string): string {
  const lang = dictionaries[language.get()] ?? en;
  return activityLabel(type, { ...en, ...lang }, t("activity.other"));
}

/** Re-render on language change; returns t for convenience. */
export function useI18n() {
  useSignal(language);
  return t;
}

export function formatDate(iso: string | number): string {
  try {
    return new Intl.DateTimeFormat(language.get(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  } catch {
    return String(iso);
  }
}
