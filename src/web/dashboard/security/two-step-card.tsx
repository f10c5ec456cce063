// Two-step verification with an authenticator app: set it up (QR code, or the secret to
// type), confirm with a code, then the recovery codes shown once (copy or download as a
// text file). When on: how many recovery codes are left, new codes, turn it off. The
// changes that need a recent sign-in go through the re-authentication dialog.
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { confirmTotp, disableTotp, mfaStatus, newRecoveryCodes, setupTotp, type MfaStatus, type TotpSetup } from "../../mfa-api";
import { Card, FormStatus, submitWith } from "../../ui/fields";
import { OtpInput } from "../../ui/otp-input";
import { withReauth } from "../../ui/reauth";
import { toast } from "../../ui/toast";

export function TwoStepCard() {
  const t = useI18n();
  const [status, setStatus] = useState<MfaStatus | null>(null);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState("");
  const reload = () => void mfaStatus().then((r) => r.ok && setStatus(r.data));
  useEffect(reload, []);
  if (!status) return null;

  const fail = (r: { ok: false; offline?: boolean; problem?: { detail?: string; title: string } }) =>
    setError(r.offline ? t("app.offline") : (r.problem?.detail ?? r.problem?.title ?? ""));
  const start = async () => {
    setError("");
    const r = await withReauth(setupTotp);
    if (r.ok) setSetup(r.data);
    else fail(r);
  };
  const confirm = async (value: string) => {
    const r = await confirmTotp(value);
    setCode("");
    if (!r.ok) return fail(r);
    setSetup(null);
    setCodes(r.data.recoveryCodes);
    toast(t("mfa.enabled"));
    reload();
  };
  const regenerate = async () => {
    const r = await withReauth(newRecoveryCodes);
    if (r.ok) setCodes(r.data.recoveryCodes);
    else fail(r);
    reload();
  };
  const turnOff = async () => {
    const r = await withReauth(disableTotp);
    if (!r.ok) return fail(r);
    toast(t("mfa.disabled"));
    reload();
  };

  return (
    <Card title={t("mfa.title")} id="two-step">
      {codes ? (
        <div class="stack">
          <p>{t("mfa.codesOnce")}</p>
          <ul class="codes" aria-label={t("mfa.recoveryCodes")}>
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <a class="button secondary" download="recovery-codes.txt" href={`data:text/plain;charset=utf-8,${encodeURIComponent(codes.join("\n") + "\n")}`}>
            {t("mfa.download")}
          </a>
          <button type="button" class="primary" onClick={() => setCodes(null)}>
            {t("mfa.saved")}
          </button>
        </div>
      ) : setup ? (
        <form class="stack" onSubmit={submitWith(() => confirm(code))}>
          <p>{t("mfa.scan")}</p>
          <img class="qr" width={200} height={200} alt={t("mfa.qrAlt")} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrSvg)}`} />
          <p>
            {t("mfa.typeSecret")} <code id="totp-secret">{setup.secret}</code>
          </p>
          <OtpInput id="totp-code" value={code} onValue={setCode} onComplete={(v) => void confirm(v)} />
          <button type="submit" class="primary">
            {t("mfa.confirm")}
          </button>
        </form>
      ) : status.totp ? (
        <div class="stack">
          <p>{t("mfa.on", { left: String(status.recoveryCodesLeft) })}</p>
          <button type="button" class="secondary" onClick={() => void regenerate()}>
            {t("mfa.newCodes")}
          </button>
          <button type="button" class="secondary" onClick={() => void turnOff()}>
            {t("mfa.turnOff")}
          </button>
        </div>
      ) : (
        <div class="stack">
          <p>{t("mfa.off")}</p>
          <button type="button" class="primary" onClick={() => void start()}>
            {t("mfa.setUp")}
          </button>
        </div>
      )}
      <FormStatus status={error ? "error" : "idle"} message={error} />
    </Card>
  );
}
