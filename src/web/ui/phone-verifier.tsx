// Add or change the signed-in user's phone: number (+ channel) -> code -> verified.
// POST /api/me/phone sends the code, /api/me/phone/verify confirms it. Used by the
// phone-policy step and by the Security page.
import { addPhone, verifyPhone } from "../flows";
import { useI18n } from "../i18n";
import { ChannelPicker } from "./channel-picker";
import { CodeTimers, useResend } from "./code-timers";
import { FormStatus, Submit } from "./fields";
import { OtpInput } from "./otp-input";
import { PhoneInput, useChannel, usePhoneOptions } from "./phone-input";
import { useForm } from "./use-form";

export function PhoneVerifier({ id, onVerified, onCancel }: { id: string; onVerified: (phone: string) => void | Promise<void>; onCancel?: () => void }) {
  const t = useI18n();
  const form = useForm(id, { phone: "", sent: false, code: "" }, { persist: ["phone", "sent"] });
  const { values, set, field, status, fieldErrors, problem } = form;
  const options = usePhoneOptions();
  const [channel, setChannel] = useChannel(options);
  const resender = useResend(() => addPhone(values.phone, channel), t("phoneStep.sent"));

  const send = () =>
    void form.submit(
      async () => {
        const r = await addPhone(values.phone, channel);
        if (r.ok) resender.sent(r);
        return r;
      },
      () => {
        set("sent", true);
        set("code", "");
        return t("phoneStep.sent");
      },
    );
  const confirm = (code = values.code) =>
    void form.submit(
      () => verifyPhone(values.phone, code),
      async (r) => {
        set("sent", false);
        set("code", "");
        await onVerified(r.phone);
      },
    );

  return (
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
          <OtpInput id={`${id}-code`} {...field("code")} onComplete={confirm} sms={channel === "sms"} />
          <CodeTimers resender={resender} />
        </>
      ) : (
        <>
          <PhoneInput
            id={`${id}-phone`}
            initial={values.phone}
            onValue={(v) => set("phone", v)}
            error={fieldErrors.phone || (problem?.code === "invalid_phone_number" ? form.message : undefined)}
          />
          <ChannelPicker channels={options?.channels ?? []} value={channel} onChoose={setChannel} />
        </>
      )}
      <FormStatus status={status} message={form.message} />
      <Submit status={status}>{values.sent ? t("phoneSignUp.confirm") : t("phoneSignUp.send")}</Submit>
      {values.sent ? (
        <button
          type="button"
          class="link"
          onClick={() => {
            set("sent", false);
            set("code", "");
          }}
        >
          {t("phoneSignUp.startOver")}
        </button>
      ) : onCancel ? (
        <button type="button" class="link" onClick={onCancel}>
          {t("form.cancel")}
        </button>
      ) : null}
    </form>
  );
}
