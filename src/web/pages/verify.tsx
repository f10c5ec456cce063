// Enter the emailed code: accessible code input (the sixth digit submits), countdown to
// expiry (paused offline), resend after the server's cool-down. A verified code signs
// the user in. The code belongs to this browser's pending registration (its
// registrationToken, src/web/registration.ts).
import { useEffect } from "preact/hooks";
import { resendVerification, verifyEmailCode } from "../flows";
import { useI18n } from "../i18n";
import { forgetRegistration, pendingRegistration } from "../registration";
import { location, navigate } from "../router";
import { finishSignIn } from "../mfa-api";
import { useSignal } from "../signal";
import { CodeTimers, useResend } from "../ui/code-timers";
import { Card, FormStatus, Submit } from "../ui/fields";
import { OtpInput } from "../ui/otp-input";
import { useForm } from "../ui/use-form";

export function VerifyPage() {
  const t = useI18n();
  const loc = useSignal(location);
  const form = useForm("verify", { email: loc.query.get("email") ?? "", code: "" }, { persist: ["email"] });
  const { values, field, status } = form;

  const registration = pendingRegistration(values.email || undefined);

  const verify = (code = values.code) =>
    void form.submit(
      () => verifyEmailCode(registration?.token ?? "", code),
      async (tokens) => {
        forgetRegistration();
        if (await finishSignIn(tokens)) navigate("/dashboard", { replace: true });
      },
    );

  const resender = useResend(() => resendVerification(registration?.token ?? ""), t("verify.resent"));

  // Arriving from sign-in with a pending registration: send a fresh code straight away.
  useEffect(() => {
    if (loc.query.get("resend") === "1" && registration) void resender.resend();
  }, []);

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
        <OtpInput id="code" {...field("code")} onComplete={verify} />
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{t("verify.submit")}</Submit>
      </form>
      <CodeTimers resender={resender} />
    </Card>
  );
}
