// Enter the emailed code: accessible code input (the sixth digit submits), countdown to
// expiry (paused offline), resend after the server's cool-down. A verified code signs
// the user in.
import { useEffect } from "preact/hooks";
import { resendVerification, verifyEmailCode } from "../flows";
import { useI18n } from "../i18n";
import { location, navigate } from "../router";
import { acceptTokens } from "../session";
import { useSignal } from "../signal";
import { CodeTimers, useResend } from "../ui/code-timers";
import { Card, FormStatus, Submit, TextField } from "../ui/fields";
import { OtpInput } from "../ui/otp-input";
import { useForm } from "../ui/use-form";

export function VerifyPage() {
  const t = useI18n();
  const loc = useSignal(location);
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

  const resender = useResend(() => resendVerification(values.email), t("verify.resent"));

  // Arriving from sign-in with an unverified address: send a fresh code straight away.
  useEffect(() => {
    if (loc.query.get("resend") === "1" && values.email) void resender.resend();
  }, []);

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
        <OtpInput id="code" value={values.code} onValue={(v) => set("code", v)} error={fieldErrors.code} onComplete={verify} />
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{t("verify.submit")}</Submit>
      </form>
      <CodeTimers resender={resender} />
    </Card>
  );
}
