// Change the email: a code goes to the new address; once confirmed the old address gets a
// 7-day undo link. Needs a recent sign-in (reauthentication_required otherwise).
import { useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { confirmEmailChange, requestEmailChange } from "../../profile-api";
import { currentUser } from "../../session";
import { useSignal } from "../../signal";
import { Card, FormStatus, Submit, TextField } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { useForm } from "../../ui/use-form";

export function EmailCard() {
  const t = useI18n();
  const user = useSignal(currentUser);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const ask = useForm("email-change", { newEmail: "" });
  const confirm = useForm("email-change-code", { code: "" });
  if (!user) return null;
  return (
    <Card title={t("profile.emailTitle")} id="email">
      {user.email ? <p>{t("profile.current", { email: user.email })}</p> : null}
      {sentTo === null ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const to = ask.values.newEmail.trim();
            void ask.submit(
              () => requestEmailChange(to),
              () => setSentTo(to),
            );
          }}
        >
          <TextField id="newEmail" type="email" label={t("profile.newEmail")} autocomplete="email" required {...ask.field("newEmail")} />
          <FormStatus status={ask.status} message={ask.status === "success" ? "" : ask.message} />
          <Submit status={ask.status}>{t("profile.sendCode")}</Submit>
        </form>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void confirm.submit(
              (v) => confirmEmailChange(v.code.replace(/\s/g, "")),
              (updated) => {
                currentUser.set({ ...user, ...updated });
                setSentTo(null);
                ask.set("newEmail", "");
                confirm.set("code", "");
                toast(t("profile.emailChanged", { email: updated.email ?? "" }));
              },
            );
          }}
        >
          <p role="status">{t("profile.codeSent", { email: sentTo })}</p>
          <TextField id="emailCode" label={t("field.code")} autocomplete="one-time-code" required {...confirm.field("code")} />
          <FormStatus status={confirm.status} message={confirm.status === "success" ? "" : confirm.message} />
          <Submit status={confirm.status}>{t("profile.confirmEmail")}</Submit>
        </form>
      )}
    </Card>
  );
}
