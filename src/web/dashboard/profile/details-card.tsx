// Name, username, language of messages and time zone (PATCH /api/me).
import { useMemo } from "preact/hooks";
import { useI18n } from "../../i18n";
import { type ProfilePatch, updateProfile } from "../../profile-api";
import { currentUser } from "../../session";
import { useSignal } from "../../signal";
import { Card, FormStatus, Submit, TextField } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { useForm } from "../../ui/use-form";

const zones = (): string[] => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    return [];
  }
};

export function DetailsCard() {
  const t = useI18n();
  const user = useSignal(currentUser);
  const timeZones = useMemo(zones, []);
  const form = useForm("profile-details", {
    name: user?.name ?? "",
    username: user?.username ?? "",
    locale: user?.locale ?? "",
    timeZone: user?.timeZone ?? "",
  });
  const { values, set, field, status, fieldErrors } = form;
  if (!user) return null;
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const patch: ProfilePatch = {
      name: values.name.trim() || null,
      username: values.username.trim() || null,
      locale: values.locale === "en" || values.locale === "es" ? values.locale : null,
      timeZone: values.timeZone || null,
    };
    void form.submit(
      () => updateProfile(patch),
      (updated) => {
        currentUser.set({ ...user, ...updated });
        toast(t("profile.saved"));
      },
    );
  };
  return (
    <Card title={t("profile.details")} id="details">
      <form noValidate onSubmit={onSubmit}>
        <TextField id="name" label={t("profile.nameField")} autocomplete="name" {...field("name")} />
        <TextField
          id="username"
          label={t("profile.username")}
          autocomplete="username"
          autocapitalize="off"
          spellcheck={false}
          {...field("username")}
          error={fieldErrors.username || (form.problem?.code === "username_taken" ? form.message : undefined)}
          hint={t("profile.usernameHint")}
        />
        <div class="field">
          <label for="locale">{t("profile.language")}</label>
          <select id="locale" value={values.locale} onChange={(e) => set("locale", e.currentTarget.value)}>
            <option value="">{t("profile.languageBrowser")}</option>
            <option value="en" lang="en">
              English
            </option>
            <option value="es" lang="es">
              Español
            </option>
          </select>
        </div>
        <div class="field">
          <label for="timeZone">{t("profile.timeZone")}</label>
          <select
            id="timeZone"
            value={values.timeZone}
            onChange={(e) => set("timeZone", e.currentTarget.value)}
            aria-invalid={fieldErrors.timeZone ? "true" : undefined}
          >
            <option value="">{t("profile.timeZoneNone")}</option>
            {(values.timeZone && !timeZones.includes(values.timeZone) ? [values.timeZone, ...timeZones] : timeZones).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          {fieldErrors.timeZone ? <div class="field-error">{fieldErrors.timeZone}</div> : null}
        </div>
        <FormStatus status={status} message={status === "success" ? "" : form.message} />
        <Submit status={status}>{t("profile.save")}</Submit>
      </form>
    </Card>
  );
}
