// One-time code input: a single field, so autofill (autocomplete="one-time-code"), paste
// of the whole code and screen readers all work without juggling six boxes. Anything but
// digits is dropped, so "123 456" or "123-456" pasted from a message still fits.
import { useI18n } from "../i18n";

export function OtpInput({ id, value, onValue, error, onComplete }: { id: string; value: string; onValue: (v: string) => void; error?: string; onComplete?: (code: string) => void }) {
  const t = useI18n();
  const described = `${id}-hint${error ? ` ${id}-error` : ""}`;
  return (
    <div class="field">
      <label for={id}>{t("field.code")}</label>
      <input
        id={id}
        name="code"
        class="otp"
        type="text"
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described}
        onInput={(e) => {
          const digits = e.currentTarget.value.replace(/\D/g, "").slice(0, 6);
          e.currentTarget.value = digits;
          onValue(digits);
          if (digits.length === 6) onComplete?.(digits);
        }}
        onPaste={(e) => {
          const pasted = e.clipboardData?.getData("text") ?? "";
          const digits = pasted.replace(/\D/g, "").slice(0, 6);
          if (!digits) return;
          e.preventDefault();
          onValue(digits);
          if (digits.length === 6) onComplete?.(digits);
        }}
      />
      <div class="hint" id={`${id}-hint`}>{t("field.codeHint")}</div>
      {error ? <div class="field-error" id={`${id}-error`}>{error}</div> : null}
    </div>
  );
}
