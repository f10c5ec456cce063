// Enter the emailed code: accessible code input, countdown to expiry (paused offline),
// resend after a cool-down. A verified code signs the user in. The code belongs to this
// browser's pending registration (its registrationToken, src/web/registration.ts).
import { useEffect, useState } from "preact/hooks";
import { resendVerification, verifyEmailCode } from "../flows";
import { problemMessage, useI18n } from "../i18n";
import { forgetRegistration, pendingRegistration } from "../registration";
import { location, navigate } from "../router";
import { acceptTokens } from "../session";
import { useSignal } from "../signal";
import { formatSeconds, useCountdown } from "../ui/countdown";
import { Card, FormStatus, Submit } from "../ui/fields";
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

  const registration = pendingRegistration(values.email || undefined);

  const verify = (code = values.code) =>
    void form.submit(
      () => verifyEmailCode(registration?.token ?? "", code),
      async (tokens) => {
        forgetRegistration();
        await acceptTokens(tokens);
        navigate("/dashboard", { replace: true });
      },
    );

  // Arriving from sign-in with a pending registration: send a fresh code straight away.
  useEffect(() => {
    if (loc.query.get("resend") === "1" && registration) void resend();
  }, []);

  async function resend() {
    if (!registration) return;
    const r = await resendVerification(registration.token);
    setSentAt(Date.now());
    setResendNote(r.ok ? t("verify.resent") : "offline" in r && r.offline ? t("form.offlineQueued") : problemMessage(r.problem));
  }

  if (!registration) {
    return (
      <Card>
        <h1>{t("verify.title")}</h1>
        <p role="alert">{t("verify.noRegistration")}</p>
        <a class="button primary" href="/sign-up">
          {t("signUp.title")}
        </a>
      </Card>
    );
  }

  return (
    <Card>
      <h1>{t("verify.title")}</h1>
      <p>{t("verify.intro", { email: registration.email })}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          verify();
        }}
        noValidate
      >
        <OtpInput id="code" value={values.code} onValue={(v) => set("code", v)} error={fieldErrors.code} />
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{t("verify.submit")}</Submit>
      </form>
      <CodeTimers sentAt={sentAt} onResend={() => void resend()} resendStatus={resendNote} />
    </Card>
  );
}
