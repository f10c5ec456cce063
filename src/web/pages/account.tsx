// The dashboard: profile, change password, sessions and devices, recent activity and
// sign-in methods. Sections whose API is not deployed (404) simply do not render.
import { useI18n, formatDate } from "../i18n";
import { currentUser } from "../session";
import { useSignal } from "../signal";
import { changePassword, myPhone } from "../flows";
import { useEffect, useState } from "preact/hooks";
import { Card, FormStatus, PasswordField, Submit } from "../ui/fields";
import { NewPasswordField } from "../ui/strength";
import { useForm } from "../ui/use-form";
import { ActivitySection, MethodsSection, SessionsSection } from "./account-sections";

export function AccountPage() {
  const t = useI18n();
  const user = useSignal(currentUser);
  const [phone, setPhone] = useState<string | null>(null);
  useEffect(() => void myPhone().then(setPhone), []);
  if (!user) return null;
  return (
    <div class="dashboard">
      <h1>{t("account.title")}</h1>
      <Card title={t("account.profile")} id="profile">
        <dl class="profile">
          <dt>{t("account.nameLabel")}</dt>
          <dd>{user.name || t("account.none")}</dd>
          {user.email ? (
            <>
              <dt>{t("account.email")}</dt>
              <dd>
                {user.email} <span class={`badge ${user.emailVerified ? "ok" : ""}`}>{user.emailVerified ? t("account.verified") : t("account.notVerified")}</span>
              </dd>
            </>
          ) : null}
          {phone ? (
            <>
              <dt>{t("account.phone")}</dt>
              <dd dir="ltr">{phone}</dd>
            </>
          ) : null}
          <dt>{t("account.memberSince")}</dt>
          <dd>{formatDate(user.createdAt)}</dd>
        </dl>
      </Card>
      <ChangePasswordSection />
      <SessionsSection />
      <ActivitySection />
      <MethodsSection />
    </div>
  );
}

function ChangePasswordSection() {
  const t = useI18n();
  const form = useForm("change-password", { currentPassword: "", newPassword: "", keepOtherSessions: false });
  const { values, set, status, fieldErrors, problem } = form;
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
              return t("account.passwordChanged");
            },
          );
        }}
      >
        <input type="text" autocomplete="username" value={currentUser.get()?.email ?? ""} hidden readOnly aria-hidden="true" tabIndex={-1} />
        <PasswordField id="currentPassword" label={t("field.currentPassword")} autocomplete="current-password" required value={values.currentPassword} onValue={(v) => set("currentPassword", v)} error={currentError} />
        <NewPasswordField id="newPassword" label={t("field.newPassword")} required value={values.newPassword} onValue={(v) => set("newPassword", v)} error={newError} />
        <label class="check">
          <input type="checkbox" checked={values.keepOtherSessions} onChange={(e) => set("keepOtherSessions", e.currentTarget.checked)} /> {t("field.keepOtherSessions")}
        </label>
        <FormStatus status={status} message={form.message} />
        <Submit status={status}>{t("account.changePassword")}</Submit>
      </form>
    </Card>
  );
}
