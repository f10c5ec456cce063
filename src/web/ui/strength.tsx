// Live password strength: the server's policy is length-first (NIST SP 800-63B), so the
// meter shows progress to the minimum, then a rough estimate that mirrors the server's
// cheap checks (repeats, sequences). The server's verdict (weak_password + reason) is
// shown under the field after submit; this is guidance, not the gate.
import { useI18n } from "../i18n";
import { estimateStrength } from "./strength-estimate";

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
