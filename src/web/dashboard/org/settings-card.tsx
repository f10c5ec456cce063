// The organization's settings card: rename, change slug and kind (org:update), delete
// (org:delete).
import { useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { navigate } from "../../router";
import { Card, FormStatus, Submit, TextField } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { useForm } from "../../ui/use-form";
import * as o from "../org-api";
import { actionError } from "../pages/shared";
import { can } from "./access";

export function SettingsCard({ org, onSaved }: { org: o.Org; onSaved: (org: o.Org) => void }) {
  const t = useI18n();
  const form = useForm(`org-settings-${org.id}`, { name: org.name, slug: org.slug, kind: org.kind ?? "" });
  const [error, setError] = useState("");
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => o.updateOrg(org.id, { name: v.name, slug: v.slug, kind: v.kind.trim() || null }),
      (saved) => {
        onSaved(saved);
        return t("orgs.saved");
      },
    );
  };
  const remove = async () => {
    if (!confirm(t("orgs.deleteConfirm", { name: org.name }))) return;
    const r = await o.deleteOrg(org.id);
    setError(actionError(r));
    if (r.ok) {
      toast(t("orgs.deleted", { name: org.name }));
      navigate("/orgs");
    }
  };
  return (
    <Card title={t("orgs.settings")} id="org-settings">
      {can(org, "org:update") ? (
        <form onSubmit={onSubmit} noValidate>
          <TextField
            id="org-name"
            label={t("orgs.name")}
            required
            value={form.values.name}
            onValue={(v) => form.set("name", v)}
            error={form.fieldErrors.name}
          />
          <TextField id="org-slug" label={t("orgs.slug")} value={form.values.slug} onValue={(v) => form.set("slug", v)} error={form.fieldErrors.slug} />
          <TextField id="org-kind" label={t("orgs.kind")} value={form.values.kind} onValue={(v) => form.set("kind", v)} error={form.fieldErrors.kind} />
          <FormStatus status={form.status} message={form.message} />
          <Submit status={form.status}>{t("orgs.save")}</Submit>
        </form>
      ) : null}
      {can(org, "org:delete") ? (
        <button type="button" class="secondary danger" onClick={() => void remove()}>
          {t("orgs.delete")}
        </button>
      ) : null}
      {error ? (
        <p role="alert" class="form-status error">
          {error}
        </p>
      ) : null}
    </Card>
  );
}
