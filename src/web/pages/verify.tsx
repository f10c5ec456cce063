// Enter the emailed code: accessible code input, countdown to expiry (paused offline),
// resend after a cool-down. A verified code signs the user in.
import { useEffect, useState } from "preact/hooks";
import { resendVerification, verifyEmailCode } from "../flows";
import { useI18n } from "../i18n";
import { location, navigate } from "../router";
import { acceptTokens } from "../session";
import { useSignal } from "../signal";
import { formatSeconds, useCountdown } from "../ui/countdown";
import { Card, FormStatus, Submit, TextField } from "../ui/fields";
import { OtpInput } from "../ui/otp-input";
import { useForm } from "../ui/use-form";

export const CODE_LIFETIME_S = 600;
export const RESEND_AFTER_S = 30;

export function CodeTimers({ sentAt, onResend, resendStatus }: { sentAt: number; onResend: () => void; resendStatus: string }) {
  const t = useI18n();
  const expiry = useCountdown(CODE_LIFETIME_S, sentAt);
  const cool = useCountdown(RESEND_AFTER_S, sentAt);
  return (
    <div class="timers">
      <p class="countdown" aria-live="off">
        {expiry.left > 0 ? t("verify.expiresIn", { time: formatSeconds(expiry.left) }) : t("verify.expired")}
        {expiry.paused ? <span class="paused"> {t("verify.paused")}</span> : null}
      </p>
      {cool.left > 0 ? (
        <p class="hint">{t("verify.resendIn", { s: cool.left })}</p>
      ) : (
        <button type="button" class="link" onClick={onResend}>
          {t("verify.resend")}
        </button>
      )}
      <p role="status">{resendStatus}</p>
    </div>
  );
}

export function VerifyPage() {
  const t = useI18n();
  const loc = useSignal(location);
  const [sentAt, setSentAt] = useState(() => Date.now());
  const [resendNote, setResendNote] = useState("");
  const form = useForm("verify", { email: loc.query.get("email") ?? "", code: "" }, { persist: ["email"] });
  const { values, set, status, fieldErrors } = form;

  const verify = (code = values.code) =>
    void form.submit(
      (v) => verifyEmailCode(v.email, code),
      async (tokens) => {
        await acceptTokens(tokens);
        navigate("/dashboard", { replace: true });
      },
    );

  // Arriving from sign-in with an unverified address: send a fresh code straight away.
  useEffect(() => {
    if (loc.query.get("resend") === "1" && values.email) void resend();
  }, []);

  async function resend() {
    const r = await resendVerification(values.email);
    setSentAt(Date.now());
    setResendNote(r.ok ? t("verify.resent") : "offline" in r && r.offline ? t("form.offlineQueued") : t("error.rate_limited"));
  }

  return (
    <Card>
      <h1>{t("verify.title")}</h1>
      {values.email ? <p>{t("verify.intro", { email: values.email })}</p> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          verify();
        }}
        noValidate
      >
        {loc.query.get("email") ? null : <TextField id="email" label={t("field.email")} type="email" autocomplete="email" required value={values.email} onValue={(v) => set("email", v)} error={fieldErrors.email} />}
        <OtpInput id="code" value={values.code} onValue={(v) => set("code", v)} error={fieldErrors.code} />
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{t("verify.submit")}</Submit>
      </form>
      <CodeTimers sentAt={sentAt} onResend={() => void resend()} resendStatus={resendNote} />
    </Card>
  );
}
