// Forgot password (ask for a code) and reset (code + email, or the emailed link's token).
import { forgotPassword, resetPassword } from "../flows";
import { useI18n } from "../i18n";
import { location, navigate } from "../router";
import { useSignal } from "../signal";
import { Card, FormStatus, Submit, TextField } from "../ui/fields";
import { OtpInput } from "../ui/otp-input";
import { NewPasswordField } from "../ui/strength";
import { clearDraft, useForm } from "../ui/use-form";

export function ForgotPasswordPage() {
  const t = useI18n();
  const form = useForm("forgot", { email: "" }, { persist: ["email"] });
  const { values, set, status, fieldErrors } = form;
  return (
    <Card>
      <h1>{t("forgot.title")}</h1>
      <p>{t("forgot.intro")}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(
            (v) => forgotPassword(v.email),
            () => navigate(`/reset-password?email=${encodeURIComponent(values.email.trim())}`),
          );
        }}
      >
        <TextField
          id="email"
          label={t("field.email")}
          type="email"
          autocomplete="email"
          required
          value={values.email}
          onValue={(v) => set("email", v)}
          error={fieldErrors.email}
        />
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{t("forgot.submit")}</Submit>
      </form>
      <p>
        <a href="/sign-in">{t("signIn.title")}</a>
      </p>
    </Card>
  );
}

export function ResetPasswordPage() {
  const t = useI18n();
  const loc = useSignal(location);
  const token = loc.query.get("token");
  const form = useForm("reset", { email: loc.query.get("email") ?? "", code: "", password: "" }, { persist: ["email"] });
  const { values, set, status, fieldErrors, problem } = form;
  const passwordError = fieldErrors.password || (problem?.code === "weak_password" ? problem.detail : undefined);

  if (status === "success") {
    return (
      <Card>
        <h1>{t("reset.title")}</h1>
        <p role="status">{t("reset.done")}</p>
        <a class="button primary" href="/sign-in">
          {t("signIn.title")}
        </a>
      </Card>
    );
  }
  return (
    <Card>
      <h1>{t("reset.title")}</h1>
      {!token && values.email ? <p>{t("forgot.sent")}</p> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(
            (v) => resetPassword(token ? { token, password: v.password } : { email: v.email, code: v.code, password: v.password }),
            () => clearDraft("reset"),
          );
        }}
      >
        {token ? null : (
          <>
            <TextField
              id="email"
              label={t("field.email")}
              type="email"
              autocomplete="username"
              required
              value={values.email}
              onValue={(v) => set("email", v)}
              error={fieldErrors.email}
            />
            <OtpInput id="code" value={values.code} onValue={(v) => set("code", v)} error={fieldErrors.code} />
          </>
        )}
        <NewPasswordField
          id="password"
          label={t("field.newPassword")}
          required
          value={values.password}
          onValue={(v) => set("password", v)}
          error={passwordError}
        />
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{t("reset.submit")}</Submit>
      </form>
    </Card>
  );
}
