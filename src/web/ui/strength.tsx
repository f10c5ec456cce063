// Live password strength: the server's policy is length-first (NIST SP 800-63B), so the
// meter shows progress to the minimum, then a rough estimate that mirrors the server's
// cheap checks (repeats, sequences). The server's verdict (weak_password + reason) is
// shown under the field after submit; this is guidance, not the gate.
import { useEffect, useState } from "preact/hooks";
import { passwordPolicy } from "../flows";
import { useI18n } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { type FieldProps, PasswordField } from "./fields";
import { estimateStrength } from "./strength-estimate";

/** The server's minimum password length (GET /api/auth/password/policy); 15 until it answers. */
export function usePolicyMin(): number {
  const [min, setMin] = useState(15);
  useEffect(() => void passwordPolicy().then((p) => setMin(p.minLength)), []);
  return min;
}

/** A field for choosing a password: the policy's minimum, a live strength meter, the hint. */
export function NewPasswordField(props: Omit<FieldProps, "autocomplete" | "after" | "hint" | "minLength"> & { hintKey?: MessageKey }) {
  const t = useI18n();
  const min = usePolicyMin();
  const { hintKey = "signUp.passwordHint", ...field } = props;
  return (
    <PasswordField
      {...field}
      autocomplete="new-password"
      minLength={props.required ? min : undefined}
      after={<StrengthMeter password={props.value} min={min} id={`${props.id}-strength`} />}
      hint={t(hintKey, { min })}
    />
  );
}

export function StrengthMeter({ password, min, id }: { password: string; min: number; id: string }) {
  const t = useI18n();
  if (!password) return null;
  const { score, key } = estimateStrength(password, min);
  const label = key === "tooShort" ? t("strength.tooShort", { n: [...password].length, min }) : t(`strength.${key}`);
  return (
    <div class="strength" id={id}>
      <meter min={0} max={4} low={2} high={3} optimum={4} value={score} aria-label={t("strength.label")} />
      <span class={`strength-text s${score}`} aria-live="polite">
        {label}
      </span>
    </div>
  );
}
