// One-time code input: a single field, so autofill (autocomplete="one-time-code"), paste
// of the whole code and screen readers all work without juggling six boxes. Anything but
// digits is dropped, so "123 456" or "123-456" pasted from a message still fits. The
// sixth digit submits (onComplete). For codes sent by SMS, the WebOTP API (Android
// Chrome) fills the field from the message's "@host #code" line when the user allows it.
import { useEffect } from "preact/hooks";
import { useI18n } from "../i18n";
import { FieldNotes } from "./fields";

type Props = { id: string; value: string; onValue: (v: string) => void; error?: string; onComplete?: (code: string) => void; sms?: boolean };

export function OtpInput({ id, value, onValue, error, onComplete, sms }: Props) {
  const t = useI18n();
  const described = `${id}-hint${error ? ` ${id}-error` : ""}`;
  const accept = (text: string) => {
    const digits = text.replace(/\D/g, "").slice(0, 6);
    onValue(digits);
    if (digits.length === 6) onComplete?.(digits);
    return digits;
  };

  useEffect(() => {
    if (!sms || !("OTPCredential" in window)) return;
    const abort = new AbortController();
    (navigator.credentials.get({ otp: { transport: ["sms"] }, signal: abort.signal } as CredentialRequestOptions) as Promise<{ code?: string } | null>)
      .then((otp) => otp?.code && accept(otp.code))
      .catch(() => undefined); // dismissed, timed out or aborted: typing still works
    return () => abort.abort();
  }, [sms]);

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
        required
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described}
        onInput={(e) => {
          e.currentTarget.value = accept(e.currentTarget.value);
        }}
        onPaste={(e) => {
          const pasted = e.clipboardData?.getData("text") ?? "";
          if (!/\d/.test(pasted)) return;
          e.preventDefault();
          accept(pasted);
        }}
      />
      <FieldNotes id={id} hint={t("field.codeHint")} error={error} />
    </div>
  );
}
