// Live password strength: the server's policy is length-first (NIST SP 800-63B), so the
// meter shows progress to the minimum, then a rough estimate that mirrors the server's
// cheap checks (repeats, sequences). The server's verdict (weak_password + reason) is
// shown under the field after submit; this is guidance, not the gate.
import { useI18n } from "../i18n";

export function estimateStrength(password: string, min: number): { score: 0 | 1 | 2 | 3 | 4; key: "tooShort" | "weak" | "fair" | "good" | "strong" } {
  const chars = [...password];
  if (chars.length < min) return { score: 0, key: "tooShort" };
  const lower = password.toLowerCase();
  const distinct = new Set(chars).size;
  const repeated = /^(.{1,3})\1+$/.test(lower);
  const sequence = chars.every((c, i) => i === 0 || Math.abs(c.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) === 1);
  if (repeated || sequence || distinct < 5) return { score: 1, key: "weak" };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  const points = chars.length / min + (distinct / chars.length) + classes * 0.25 + (/\s/.test(password) ? 0.5 : 0);
  if (points >= 3) return { score: 4, key: "strong" };
  if (points >= 2.4) return { score: 3, key: "good" };
  return { score: 2, key: "fair" };
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
