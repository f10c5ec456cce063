// Labelled inputs with their hint and error wired up for assistive technology
// (aria-describedby, aria-invalid), and the status line every form shares.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useI18n } from "../i18n";
import type { Status } from "./use-form";

export type FieldProps = {
  type?: "text" | "email" | "password" | "tel";
  autocomplete?: string;
  required?: boolean;
  minLength?: number;
  spellcheck?: boolean;
  autocapitalize?: "off";
  id: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string;
  hint?: ComponentChildren;
  /** Rendered right under the input (e.g. a strength meter). */
  after?: ComponentChildren;
};

export function TextField({ id, label, value, onValue, error, hint, after, ...rest }: FieldProps) {
  // Preact types <input> as a union keyed on `type`; these attributes are valid for each.
  const attributes = rest as Record<string, unknown>;
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described}
        {...attributes}
      />
      {after}
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** The hint and the error under an input, with the ids its aria-describedby names. */
export function FieldNotes({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string | undefined }) {
  return (
    <>
      {hint ? (
        <div class="hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div class="field-error" id={`${id}-error`}>
          {error}
        </div>
      ) : null}
    </>
  );
}

export function PasswordField(props: FieldProps) {
  const t = useI18n();
  const [shown, setShown] = useState(false);
  return (
    <div class="password-field">
      <TextField {...props} type={shown ? "text" : "password"} spellcheck={false} autocapitalize="off" />
      <label class="check show-password">
        <input type="checkbox" checked={shown} onChange={(e) => setShown(e.currentTarget.checked)} /> {t("form.showPassword")}
      </label>
    </div>
  );
}

/** An onSubmit handler that keeps the browser from posting the form and runs `action`. */
export const submitWith =
  (action: () => unknown) =>
  (e: Event): void => {
    e.preventDefault();
    void action();
  };

export function FormStatus({ status, message }: { status: Status; message: string }) {
  const t = useI18n();
  const text = status === "loading" ? t("form.loading") : message;
  // role=alert for errors (announced at once), role=status for the rest (polite).
  return (
    <div class={`form-status ${status}`} role={status === "error" ? "alert" : "status"} aria-live={status === "error" ? "assertive" : "polite"}>
      {text}
    </div>
  );
}

/** A failed action's message next to its button (announced at once); nothing when empty. */
export function ActionError({ message }: { message: string }) {
  return message ? (
    <p role="alert" class="form-status error">
      {message}
    </p>
  ) : null;
}

export function Submit({ status, children }: { status: Status; children: ComponentChildren }) {
  return (
    <button type="submit" class="primary" aria-disabled={status === "loading" ? "true" : undefined} aria-busy={status === "loading" ? "true" : undefined}>
      {children}
    </button>
  );
}

export function Card({ title, children, id }: { title?: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" aria-labelledby={title ? `${id}-title` : undefined}>
      {title ? <h2 id={`${id}-title`}>{title}</h2> : null}
      {children}
    </section>
  );
}
