// Sign in with a one-time code sent by email or SMS: choose where, then enter the code.
import { useState } from "preact/hooks";
import { type CodeChannel, sendSignInCode, verifySignInCode } from "../flows";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { acceptTokens } from "../session";
import { Card, FormStatus, Submit, TextField } from "../ui/fields";
import { ReactivatePrompt, reactivationOffer } from "../ui/reactivate";
import { OtpInput } from "../ui/otp-input";
import { PhoneInput } from "../ui/phone-input";
import { clearDraft, useForm } from "../ui/use-form";
import { CodeTimers } from "./verify";

export function CodeSignInPage() {
  const t = useI18n();
  const form = useForm("code-sign-in", { channel: "email", email: "", phone: "", code: "", sent: false }, { persist: ["channel", "email", "phone", "sent"] });
  const { values, set, status, fieldErrors } = form;
  const [sentAt, setSentAt] = useState(() => Date.now());
  const [note, setNote] = useState("");
  const channel = values.channel as CodeChannel;
  const target = channel === "email" ? (values.email as string) : (values.phone as string);

  const send = () =>
    form.submit(
      () => sendSignInCode(channel, target),
      () => {
        set("sent", true);
        setSentAt(Date.now());
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
            {(["email", "sms"] as const).map((c) => (
              <label key={c}>
                <input type="radio" name="channel" value={c} checked={channel === c} onChange={() => set("channel", c)} /> {c === "email" ? t("code.useEmail") : t("code.usePhone")}
              </label>
            ))}
          </fieldset>
          {channel === "email" ? (
            <TextField id="email" label={t("field.email")} type="email" autocomplete="email" required value={values.email as string} onValue={(v) => set("email", v)} error={fieldErrors.email} />
          ) : (
            <PhoneInput id="phone" initial={values.phone as string} onValue={(v) => set("phone", v)} error={fieldErrors.phone} />
          )}
          <FormStatus status={status} message={form.message} />
          <Submit status={status}>{t("code.send")}</Submit>
        </form>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void form.submit(
              (v) => verifySignInCode(channel, target, v.code as string),
              async (tokens) => {
                clearDraft("code-sign-in");
                await acceptTokens(tokens);
                navigate("/dashboard", { replace: true });
              },
            );
          }}
        >
          <p>{t("code.sentTo", { target })}</p>
          <OtpInput id="code" value={values.code as string} onValue={(v) => set("code", v)} error={fieldErrors.code} />
          <FormStatus status={status} message={form.message} />
          {reactivationOffer(form.problem) ? <ReactivatePrompt token={reactivationOffer(form.problem)!} onDone={() => clearDraft("code-sign-in")} /> : null}
          <Submit status={status}>{t("code.verify")}</Submit>
          <CodeTimers
            sentAt={sentAt}
            resendStatus={note}
            onResend={() => void sendSignInCode(channel, target).then((r) => (setSentAt(Date.now()), setNote(r.ok ? t("verify.resent") : t("error.rate_limited"))))}
          />
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
