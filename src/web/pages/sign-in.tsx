// Sign in with email + password; links to code sign-in, social providers, reset, sign-up.
import { useEffect, useState } from "preact/hooks";
import { hasCodeSignIn, login, type Provider, listProviders } from "../flows";
import { useI18n } from "../i18n";
import { pendingRegistration } from "../registration";
import { navigate } from "../router";
import { acceptTokens } from "../session";
import { ReactivatePrompt, reactivationOffer } from "../ui/reactivate";
import { Card, FormStatus, PasswordField, Submit, TextField } from "../ui/fields";
import { clearDraft, useForm } from "../ui/use-form";
import { oauthStartUrl } from "../flows";

export function SignInPage() {
  const t = useI18n();
  const form = useForm("sign-in", { email: "", password: "" }, { persist: ["email"] });
  const { values, set, status, fieldErrors, problem } = form;
  const [providers, setProviders] = useState<Provider[]>([]);
  const [codeSignIn, setCodeSignIn] = useState(false);
  useEffect(() => {
    void listProviders().then(setProviders);
    void hasCodeSignIn().then(setCodeSignIn);
  }, []);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => login(v.email, v.password),
      async (tokens) => {
        clearDraft("sign-in");
        await acceptTokens(tokens);
        navigate("/dashboard", { replace: true });
      },
    );
  };

  return (
    <Card>
      <h1>{t("signIn.title")}</h1>
      <form onSubmit={onSubmit} noValidate>
        <TextField id="email" label={t("field.email")} type="email" autocomplete="username" required value={values.email} onValue={(v) => set("email", v)} error={fieldErrors.email} />
        <PasswordField id="password" label={t("field.password")} autocomplete="current-password" required value={values.password} onValue={(v) => set("password", v)} error={fieldErrors.password} />
        <FormStatus status={status} message={form.message} />
        {reactivationOffer(problem) ? <ReactivatePrompt token={reactivationOffer(problem)!} onDone={() => clearDraft("sign-in")} /> : null}
        {problem && pendingRegistration(values.email) ? (
          // A registration started in this browser is not an account until its code is redeemed.
          <p>
            {t("signIn.unverified")} <a href={`/verify?email=${encodeURIComponent(values.email)}&resend=1`}>{t("signIn.goVerify")}</a>
          </p>
        ) : problem?.code === "email_not_verified" ? (
          // An older unverified account: resetting the password proves the mailbox and verifies it.
          <p>
            {t("signIn.unverified")} <a href="/forgot-password">{t("signIn.forgot")}</a>
          </p>
        ) : null}
        <Submit status={status}>{t("signIn.submit")}</Submit>
      </form>
      <p>
        <a href="/forgot-password">{t("signIn.forgot")}</a>
      </p>
      {codeSignIn || providers.length ? <p class="divider">{t("signIn.or")}</p> : null}
      <div class="stack">
        {codeSignIn ? (
          <a class="button secondary" href="/sign-in/code">
            {t("signIn.withCode")}
          </a>
        ) : null}
        {providers.map((p) => (
          <a class="button secondary" href={oauthStartUrl(p.id)} data-external key={p.id}>
            {t("signIn.continueWith", { provider: p.name })}
          </a>
        ))}
      </div>
      <p class="switch">
        {t("signIn.noAccount")} <a href="/sign-up">{t("signIn.createAccount")}</a>
      </p>
    </Card>
  );
}

