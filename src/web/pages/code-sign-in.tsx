// Sign in with a one-time code sent by email or to a phone (by the channels the server
// offers): choose where, then enter the code (the sixth digit submits).
import { type CodeTarget, sendSignInCode, verifySignInCode } from "../flows";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { finishSignIn } from "../mfa-api";
import { ChannelPicker } from "../ui/channel-picker";
import { CodeTimers, useResend } from "../ui/code-timers";
import { Card, FormStatus, Submit, TextField } from "../ui/fields";
import { ReactivatePrompt, reactivationOffer } from "../ui/reactivate";
import { OtpInput } from "../ui/otp-input";
import { PhoneInput, useChannel, usePhoneOptions } from "../ui/phone-input";
import { clearDraft, useForm } from "../ui/use-form";

export function CodeSignInPage() {
  const t = useI18n();
  const form = useForm("code-sign-in", { kind: "email", email: "", phone: "", code: "", sent: false }, { persist: ["kind", "email", "phone", "sent"] });
  const { values, set, field, status, fieldErrors } = form;
  const options = usePhoneOptions();
  const [channel, setChannel] = useChannel(options);
  const target: CodeTarget = values.kind === "email" ? { kind: "email", email: values.email } : { kind: "phone", phone: values.phone, channel };
  const resender = useResend(() => sendSignInCode(target), t("verify.resent"));

  const send = () =>
    form.submit(
      async () => {
        const r = await sendSignInCode(target);
        if (r.ok) resender.sent(r); // the resend wait starts from the server's answer
        return r;
      },
      () => {
        set("sent", true);
        set("code", "");
      },
    );
  const verify = (code = values.code) =>
    void form.submit(
      () => verifySignInCode(target, code),
      async (tokens) => {
        clearDraft("code-sign-in");
        if (await finishSignIn(tokens)) navigate("/dashboard", { replace: true });
      },
    );

  return (
    <Card>
      <h1>{t("code.title")}</h1>
      {!values.sent ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <p>{t("code.intro")}</p>
          <fieldset class="segmented">
            <legend>{t("code.method")}</legend>
            {(["email", "phone"] as const).map((k) => (
              <label key={k}>
                <input type="radio" name="kind" value={k} checked={values.kind === k} onChange={() => set("kind", k)} />{" "}
                {k === "email" ? t("code.useEmail") : t("code.usePhone")}
              </label>
            ))}
          </fieldset>
          {values.kind === "email" ? (
            <TextField id="email" label={t("field.email")} type="email" autocomplete="email" required {...field("email")} />
          ) : (
            <>
              <PhoneInput id="phone" initial={values.phone} onValue={(v) => set("phone", v)} error={fieldErrors.phone} />
              <ChannelPicker channels={options?.channels ?? []} value={channel} onChoose={setChannel} />
            </>
          )}
          <FormStatus status={status} message={form.message} />
          <Submit status={status}>{t("code.send")}</Submit>
        </form>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            verify();
          }}
        >
          <p>{t("code.sentTo", { target: target.kind === "email" ? target.email : target.phone })}</p>
          <OtpInput id="code" {...field("code")} onComplete={verify} sms={target.kind === "phone"} />
          <FormStatus status={status} message={form.message} />
          {reactivationOffer(form.problem) ? <ReactivatePrompt token={reactivationOffer(form.problem)!} onDone={() => clearDraft("code-sign-in")} /> : null}
          <Submit status={status}>{t("code.verify")}</Submit>
          <CodeTimers resender={resender} />
          <button type="button" class="link" onClick={() => set("sent", false)}>
            {t("phoneSignUp.startOver")}
          </button>
        </form>
      )}
      <p>
        <a href="/sign-in">{t("signIn.withPassword")}</a>
      </p>
    </Card>
  );
}
