// Change the password (the current one is asked for; other sessions end unless kept).
import { changePassword } from "../../flows";
import { useI18n } from "../../i18n";
import { currentUser } from "../../session";
import { Card, FormStatus, PasswordField, Submit } from "../../ui/fields";
import { NewPasswordField } from "../../ui/strength";
import { toast } from "../../ui/toast";
import { useForm } from "../../ui/use-form";

export function PasswordCard() {
  const t = useI18n();
  const form = useForm("change-password", { currentPassword: "", newPassword: "", keepOtherSessions: false });
  const { values, set, field, status, fieldErrors, problem } = form;
  const currentError = fieldErrors.currentPassword || (problem?.code === "invalid_credentials" ? form.message : undefined);
  const newError = fieldErrors.newPassword || (problem?.code === "weak_password" ? problem.detail : undefined);
  return (
    <Card title={t("account.security")} id="password">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(
            (v) => changePassword(v.currentPassword, v.newPassword, v.keepOtherSessions),
            () => {
              set("currentPassword", "");
              set("newPassword", "");
              toast(t("account.passwordChanged"));
            },
          );
        }}
      >
        <input type="text" autocomplete="username" value={currentUser.get()?.email ?? ""} hidden readOnly aria-hidden="true" tabIndex={-1} />
        <PasswordField
          id="currentPassword"
          label={t("field.currentPassword")}
          autocomplete="current-password"
          required
          {...field("currentPassword")}
          error={currentError}
        />
        <NewPasswordField id="newPassword" label={t("field.newPassword")} required {...field("newPassword")} error={newError} />
        <label class="check">
          <input type="checkbox" checked={values.keepOtherSessions} onChange={(e) => set("keepOtherSessions", e.currentTarget.checked)} />{" "}
          {t("field.keepOtherSessions")}
        </label>
        <FormStatus status={status} message={status === "success" ? "" : form.message} />
        <Submit status={status}>{t("account.changePassword")}</Submit>
      </form>
    </Card>
  );
}
