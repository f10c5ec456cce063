// The phone step of the phone policy (OAUTH_REQUIRE_PHONE): a social account must verify
// a phone before anything else. Same phone input and code input as the phone sign-up;
// once /api/me/phone/verify succeeds the session is refreshed (the server then issues a
// complete token) and the user continues to where they were going.
import { useState } from "preact/hooks";
import { safePath } from "../completion";
import { addPhone, verifyPhone } from "../flows";
import { useI18n } from "../i18n";
import { location, navigate } from "../router";
import { refreshSession } from "../session";
import { useSignal } from "../signal";
import { Card, FormStatus, Submit } from "../ui/fields";
import { OtpInput } from "../ui/otp-input";
import { PhoneInput } from "../ui/phone-input";
import { useForm } from "../ui/use-form";
import { CodeTimers } from "./verify";

export function PhoneStepPage() {
  const t = useI18n();
  const loc = useSignal(location);
  const returnTo = safePath(loc.query.get("returnTo"));
  const form = useForm("phone-step", { phone: "", sent: false, code: "" }, { persist: ["phone", "sent"] });
  const { values, set, status, fieldErrors, problem } = form;
  const [sentAt, setSentAt] = useState(() => Date.now());
  const [note, setNote] = useState("");

  const send = () =>
    void form.submit(
      (v) => addPhone(v.phone),
      () => {
        set("sent", true);
        set("code", "");
        setSentAt(Date.now());
        return t("phoneStep.sent");
      },
    );
  const confirm = (code = values.code) =>
    void form.submit(
      (v) => verifyPhone(v.phone, code),
      async () => {
        // The server completed this session; a refresh swaps the restricted token for a full one.
        await refreshSession();
        navigate(returnTo, { replace: true });
      },
    );
  const resend = () => void addPhone(values.phone).then((r) => (setSentAt(Date.now()), setNote(r.ok ? t("phoneStep.sent") : t("error.rate_limited"))));

  return (
    <Card>
      <h1>{t("phoneStep.title")}</h1>
      <p>{t("phoneStep.intro")}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (values.sent) confirm();
          else send();
        }}
      >
        {values.sent ? (
          <>
            <p dir="ltr">{values.phone}</p>
            <OtpInput id="code" value={values.code} onValue={(v) => set("code", v)} error={fieldErrors.code} />
            <CodeTimers sentAt={sentAt} resendStatus={note} onResend={resend} />
          </>
        ) : (
          <PhoneInput id="phone" initial={values.phone} onValue={(v) => set("phone", v)} error={fieldErrors.phone || (problem?.code === "invalid_phone_number" ? form.message : undefined)} />
        )}
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{values.sent ? t("phoneSignUp.confirm") : t("phoneSignUp.send")}</Submit>
        {values.sent ? (
          <button type="button" class="link" onClick={() => (set("sent", false), set("code", ""))}>
            {t("phoneSignUp.startOver")}
          </button>
        ) : null}
      </form>
    </Card>
  );
}
