// Phone sign-up as a guided flow: number -> code -> details. The step and the number
// are kept in sessionStorage (not secret), so a reload resumes where the user was.
import { useState } from "preact/hooks";
import { startPhoneSignUp, verifyPhoneSignUp } from "../flows";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { acceptTokens } from "../session";
import { Card, FormStatus, Submit, TextField } from "../ui/fields";
import { OtpInput } from "../ui/otp-input";
import { PhoneInput } from "../ui/phone-input";
import { clearDraft, useForm } from "../ui/use-form";
import { CodeTimers } from "./verify";

const STEPS = ["phoneSignUp.stepPhone", "phoneSignUp.stepCode", "phoneSignUp.stepProfile"] as const;

export function PhoneSignUpPage() {
  const t = useI18n();
  const form = useForm("phone-sign-up", { step: "1", phone: "", name: "", code: "" }, { persist: ["step", "phone", "name"] });
  const { values, set, status, fieldErrors, problem } = form;
  const step = Number(values.step) || 1;
  const [sentAt, setSentAt] = useState(() => Date.now());
  const go = (n: number) => {
    set("step", String(n));
    form.setStatus("idle");
    form.setMessage("");
  };

  return (
    <Card>
      <h1>{t("phoneSignUp.title")}</h1>
      <ol class="progress" aria-label={t("phoneSignUp.step", { n: step, total: STEPS.length })}>
        {STEPS.map((key, i) => (
          <li key={key} class={i + 1 < step ? "done" : i + 1 === step ? "current" : ""} aria-current={i + 1 === step ? "step" : undefined}>
            {t(key)}
          </li>
        ))}
      </ol>
      <p class="hint">{t("phoneSignUp.step", { n: step, total: STEPS.length })}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (step === 1) void form.submit((v) => startPhoneSignUp(v.phone), () => (setSentAt(Date.now()), go(2)));
          else if (step === 2) go(values.code.length === 6 ? 3 : 2);
          else
            void form.submit(
              (v) => verifyPhoneSignUp(v.phone, v.code, v.name),
              async (tokens) => {
                clearDraft("phone-sign-up");
                await acceptTokens(tokens);
                navigate("/account", { replace: true });
              },
            );
        }}
      >
        {step === 1 ? <PhoneInput id="phone" initial={values.phone} onValue={(v) => set("phone", v)} error={fieldErrors.phone} /> : null}
        {step === 2 ? (
          <>
            <OtpInput id="code" value={values.code} onValue={(v) => set("code", v)} error={fieldErrors.code} />
            <CodeTimers sentAt={sentAt} resendStatus="" onResend={() => void startPhoneSignUp(values.phone).then(() => setSentAt(Date.now()))} />
          </>
        ) : null}
        {step === 3 && (problem?.code === "invalid_code" || problem?.code === "code_expired") ? (
          <button type="button" class="link" onClick={() => go(2)}>
            {t("phoneSignUp.stepCode")}
          </button>
        ) : null}
        {step === 3 ? <TextField id="name" label={t("field.name")} autocomplete="name" value={values.name} onValue={(v) => set("name", v)} error={fieldErrors.name} /> : null}
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{step === 1 ? t("phoneSignUp.send") : step === 2 ? t("phoneSignUp.confirm") : t("phoneSignUp.finish")}</Submit>
        {step > 1 ? (
          <button type="button" class="link" onClick={() => go(1)}>
            {t("phoneSignUp.startOver")}
          </button>
        ) : null}
      </form>
    </Card>
  );
}
