// Sign up with email + password: live strength meter against the server's minimum
// length; the server's weak_password reason is shown under the password field.
import { useEffect, useState } from "preact/hooks";
import { hasPhoneSignUp, register } from "../flows";
import { useI18n } from "../i18n";
import { rememberRegistration } from "../registration";
import { navigate } from "../router";
import { Card, FormStatus, Submit, TextField } from "../ui/fields";
import { NewPasswordField } from "../ui/strength";
import { clearDraft, useForm } from "../ui/use-form";

export function SignUpPage() {
  const t = useI18n();
  const [phone, setPhone] = useState(false);
  useEffect(() => void hasPhoneSignUp().then(setPhone), []);
  const form = useForm("sign-up", { email: "", name: "", password: "" }, { persist: ["email", "name"] });
  const { values, field, status, fieldErrors, problem } = form;
  const passwordError = fieldErrors.password || (problem?.code === "weak_password" ? problem.detail : undefined);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => register(v),
      (data) => {
        rememberRegistration(values.email, data.registrationToken);
        clearDraft("sign-up");
        navigate(`/verify?email=${encodeURIComponent(values.email.trim())}`);
      },
    );
  };

  return (
    <Card>
      <h1>{t("signUp.title")}</h1>
      <form onSubmit={onSubmit} noValidate>
        <TextField id="email" label={t("field.email")} type="email" autocomplete="email" required {...field("email")} />
        <TextField id="name" label={t("field.name")} autocomplete="name" {...field("name")} />
        <NewPasswordField id="password" label={t("field.password")} required {...field("password")} error={passwordError} />
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{t("signUp.submit")}</Submit>
      </form>
      {phone ? (
        <p>
          <a href="/sign-up/phone">{t("signUp.withPhone")}</a>
        </p>
      ) : null}
      <p class="switch">
        {t("signUp.haveAccount")} <a href="/sign-in">{t("signIn.title")}</a>
      </p>
    </Card>
  );
}
