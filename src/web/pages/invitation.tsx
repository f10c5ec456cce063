// The invitation link's landing page (/invitation?token=…): what the invitation offers,
// then "Accept" for a signed-in user, or a sign-up form for a newcomer (the account is
// created verified and joined at once). The token never leaves this page's memory.
import { useEffect, useState } from "preact/hooks";
import { lookupInvitation, acceptInvitation, registerWithInvitation, type InvitationInfo } from "../dashboard/org-api";
import { problemMessage, formatDate, useI18n } from "../i18n";
import { location, navigate } from "../router";
import { acceptTokens, authState } from "../session";
import { useSignal } from "../signal";
import { ActionError, Card, FormStatus, Submit, TextField } from "../ui/fields";
import { NewPasswordField } from "../ui/strength";
import { useForm } from "../ui/use-form";

export function InvitationPage() {
  const t = useI18n();
  const token = useSignal(location).query.get("token") ?? "";
  const auth = useSignal(authState);
  const [info, setInfo] = useState<InvitationInfo | null | undefined>(undefined);
  const [error, setError] = useState("");
  useEffect(() => void lookupInvitation(token).then((r) => setInfo(r.ok ? r.data : null)), [token]);
  const form = useForm("invitation", { email: "", name: "", password: "" });

  if (info === undefined) return <p role="status">{t("app.loading")}</p>;
  if (info === null) {
    return (
      <Card>
        <h1>{t("invite.gone")}</h1>
        <p>{t("invite.goneBody")}</p>
      </Card>
    );
  }
  const accept = async () => {
    const r = await acceptInvitation(token);
    if (r.ok) return navigate(`/orgs/${r.data.organization.id}`);
    setError(r.offline ? t("form.offlineAction") : problemMessage(r.problem));
  };
  const onRegister = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => registerWithInvitation({ ...v, token }),
      async (data) => {
        await acceptTokens(data);
        navigate(`/orgs/${data.organization.id}`);
      },
    );
  };
  const passwordError = form.fieldErrors.password || (form.problem?.code === "weak_password" ? form.problem.detail : undefined);

  return (
    <Card>
      <h1>{t("invite.title", { org: info.organization.name })}</h1>
      <p>{t("invite.body", { role: info.roleName, email: info.email, when: formatDate(info.expiresAt) })}</p>
      {auth === "signed-in" ? (
        <>
          <button type="button" class="primary" onClick={() => void accept()}>
            {t("invite.accept")}
          </button>
          <ActionError message={error} />
        </>
      ) : (
        <>
          <h2>{t("invite.newHere")}</h2>
          <form onSubmit={onRegister} noValidate>
            <TextField id="email" type="email" autocomplete="email" label={t("field.email")} hint={t("invite.emailHint")} required {...form.field("email")} />
            <TextField id="name" autocomplete="name" label={t("field.name")} {...form.field("name")} />
            <NewPasswordField id="password" label={t("field.password")} required {...form.field("password")} error={passwordError} />
            <FormStatus status={form.status} message={form.message} />
            <Submit status={form.status}>{t("invite.join")}</Submit>
          </form>
          <p class="switch">
            {t("invite.haveAccount")} <a href="/sign-in">{t("signIn.title")}</a>
          </p>
        </>
      )}
    </Card>
  );
}
