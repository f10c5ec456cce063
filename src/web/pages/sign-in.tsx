// Sign in with email + password; links to code sign-in, social providers, reset, sign-up.
import { useEffect, useRef, useState } from "preact/hooks";
import { hasCodeSignIn, login, type Provider, listProviders } from "../flows";
import { useI18n } from "../i18n";
import { pendingRegistration } from "../registration";
import { navigate } from "../router";
import { hasRoute } from "../api";
import { autofillSupported, finishSignIn, passkeyAssertion, passkeysSupported, signInWithPasskey } from "../mfa-api";

// The pending autofill request: a button press for a passkey replaces it.
let autofillAbort: AbortController | undefined;
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
  const [passkeys, setPasskeys] = useState(false);
  const [passkeyError, setPasskeyError] = useState("");
  useEffect(() => {
    void listProviders().then(setProviders);
    void hasCodeSignIn().then(setCodeSignIn);
    if (!passkeysSupported()) return;
    // Passkeys also in the email field's autofill (conditional UI), until another way is chosen.
    const autofill = new AbortController();
    void hasRoute("POST", "/api/auth/passkey/verify").then(async (available) => {
      setPasskeys(available);
      if (!available || !(await autofillSupported())) return;
      autofillAbort = autofill;
      const credential = await passkeyAssertion(undefined, autofill.signal);
      // Pressing the button aborts this request; an answer that lands anyway is dropped,
      // so one gesture never yields two sessions.
      if (credential && !autofill.signal.aborted) await finishWithPasskey(credential);
    });
    return () => autofill.abort();
  }, []);

  const finishing = useRef(false);
  const finishWithPasskey = async (credential: unknown) => {
    finishing.current = true;
    try {
      const r = await signInWithPasskey(credential);
      if (r.ok) {
        if (await finishSignIn(r.data)) navigate("/dashboard", { replace: true });
      } else setPasskeyError(t("passkeys.signInFailed"));
    } finally {
      finishing.current = false;
    }
  };
  const withPasskey = async () => {
    // The autofill already has a passkey and is signing in with it.
    if (finishing.current) return;
    setPasskeyError("");
    autofillAbort?.abort();
    const credential = await passkeyAssertion();
    if (credential) await finishWithPasskey(credential);
    else setPasskeyError(t("passkeys.signInFailed"));
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => login(v.email, v.password),
      async (tokens) => {
        clearDraft("sign-in");
        if (await finishSignIn(tokens)) navigate("/dashboard", { replace: true });
      },
    );
  };

  return (
    <Card>
      <h1>{t("signIn.title")}</h1>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          id="email"
          label={t("field.email")}
          type="email"
          autocomplete="username webauthn"
          required
          value={values.email}
          onValue={(v) => set("email", v)}
          error={fieldErrors.email}
        />
        <PasswordField
          id="password"
          label={t("field.password")}
          autocomplete="current-password"
          required
          value={values.password}
          onValue={(v) => set("password", v)}
          error={fieldErrors.password}
        />
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
      {codeSignIn || providers.length || passkeys ? <p class="divider">{t("signIn.or")}</p> : null}
      <div class="stack">
        {passkeys ? (
          <button type="button" class="secondary" onClick={() => void withPasskey()}>
            {t("signIn.withPasskey")}
          </button>
        ) : null}
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
      {passkeyError ? <p role="alert">{passkeyError}</p> : null}
      <p class="switch">
        {t("signIn.noAccount")} <a href="/sign-up">{t("signIn.createAccount")}</a>
      </p>
    </Card>
  );
}
