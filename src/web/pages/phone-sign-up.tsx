// Phone sign-up, guided: phone -> its code -> email -> its code -> password (optional).
// The server keeps the state; the page keeps only the signupToken (sessionStorage, this
// tab, deleted when done) so a reload resumes at the server's step via /resume.
import { useEffect } from "preact/hooks";
import type { PhoneSignupState as SignupState, SignupStep } from "../../contract/auth";
import type { ApiResult } from "../api";
import {
  completePhoneSignUp,
  resendPhoneSignUpCode,
  resumePhoneSignUp,
  setPhoneSignUpEmail,
  startPhoneSignUp,
  verifyPhoneSignUpEmail,
  verifyPhoneSignUpPhone,
} from "../flows";
import { useI18n } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { navigate } from "../router";
import { finishSignIn } from "../mfa-api";
import { ChannelPicker } from "../ui/channel-picker";
import { CodeTimers, useResend } from "../ui/code-timers";
import { Card, FormStatus, Submit, TextField } from "../ui/fields";
import { OtpInput } from "../ui/otp-input";
import { PhoneInput, useChannel, usePhoneOptions } from "../ui/phone-input";
import { NewPasswordField } from "../ui/strength";
import { clearDraft, useForm } from "../ui/use-form";

const STEPS: [SignupStep, MessageKey][] = [
  ["phone", "phoneSignUp.stepPhone"],
  ["verify-phone", "phoneSignUp.stepCode"],
  ["email", "phoneSignUp.stepEmail"],
  ["verify-email", "phoneSignUp.stepEmailCode"],
  ["password", "phoneSignUp.stepPassword"],
];
const FORM = "phone-sign-up";

export function PhoneSignUpPage() {
  const t = useI18n();
  const form = useForm(
    FORM,
    { signupToken: "", step: "phone", phone: "", email: "", code: "", password: "" },
    { persist: ["signupToken", "step", "phone", "email"] },
  );
  const { values, set, status, fieldErrors, problem } = form;
  const step = values.step as SignupStep;
  const index = Math.max(
    0,
    STEPS.findIndex(([s]) => s === step),
  );
  const options = usePhoneOptions();
  const [channel, setChannel] = useChannel(options);
  const resender = useResend(() => resendPhoneSignUpCode(values.signupToken), t("verify.resent"));

  const restart = () => {
    clearDraft(FORM);
    for (const k of ["signupToken", "code", "password", "email"] as const) set(k, "");
    set("step", "phone");
  };
  const advance = (state: SignupState) => {
    set("signupToken", state.signupToken);
    set("step", state.step);
    set("code", "");
  };

  // After a reload: ask the server where this sign-up stands.
  useEffect(() => {
    if (!values.signupToken) return;
    void resumePhoneSignUp(values.signupToken).then((r) => {
      if (r.ok) set("step", r.data.step);
      else if (!("offline" in r && r.offline)) restart();
    });
  }, []);

  // Steps that send a code start the resend wait from the server's answer.
  const run = (send: () => Promise<ApiResult<SignupState>>, sends = false) =>
    form.submit(
      async () => {
        const r = await send();
        if (r.ok && sends) resender.sent(r);
        return r;
      },
      (state) => advance(state),
    );
  const submit = (code = values.code) => {
    const token = values.signupToken;
    if (step === "phone") void run(() => startPhoneSignUp(values.phone, channel), true);
    else if (step === "verify-phone") void run(() => verifyPhoneSignUpPhone(token, code));
    else if (step === "email") void run(() => setPhoneSignUpEmail(token, values.email), true);
    else if (step === "verify-email") void run(() => verifyPhoneSignUpEmail(token, code));
    else
      void form.submit(
        () => completePhoneSignUp(token, values.password),
        async (tokens) => {
          clearDraft(FORM);
          if (await finishSignIn(tokens)) navigate("/dashboard", { replace: true });
        },
      );
  };
  const submitLabel = step === "phone" || step === "email" ? t("phoneSignUp.send") : step === "password" ? t("phoneSignUp.finish") : t("phoneSignUp.confirm");

  return (
    <Card>
      <h1>{t("phoneSignUp.title")}</h1>
      <ol class="progress" aria-label={t("phoneSignUp.step", { n: index + 1, total: STEPS.length })}>
        {STEPS.map(([s, key], i) => (
          <li key={s} class={i < index ? "done" : i === index ? "current" : ""} aria-current={i === index ? "step" : undefined}>
            {t(key)}
          </li>
        ))}
      </ol>
      <p class="hint">{t("phoneSignUp.step", { n: index + 1, total: STEPS.length })}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {step === "phone" ? (
          <>
            <PhoneInput
              id="phone"
              initial={values.phone}
              onValue={(v) => set("phone", v)}
              error={fieldErrors.phone || (problem?.code === "invalid_phone_number" ? form.message : undefined)}
            />
            <ChannelPicker channels={options?.channels ?? []} value={channel} onChoose={setChannel} />
          </>
        ) : null}
        {step === "verify-phone" || step === "verify-email" ? (
          <>
            <OtpInput
              id="code"
              value={values.code}
              onValue={(v) => set("code", v)}
              error={fieldErrors.code}
              onComplete={submit}
              sms={step === "verify-phone" && channel === "sms"}
            />
            <CodeTimers resender={resender} />
          </>
        ) : null}
        {step === "email" ? (
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
        ) : null}
        {step === "password" ? (
          <NewPasswordField
            id="password"
            label={t("phoneSignUp.passwordOptional")}
            hintKey="phoneSignUp.passwordHint"
            value={values.password}
            onValue={(v) => set("password", v)}
            error={fieldErrors.password || (problem?.code === "weak_password" ? problem.detail : undefined)}
          />
        ) : null}
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{submitLabel}</Submit>
        {step !== "phone" ? (
          <button type="button" class="link" onClick={restart}>
            {t("phoneSignUp.startOver")}
          </button>
        ) : null}
      </form>
    </Card>
  );
}
