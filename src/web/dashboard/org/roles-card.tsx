// Roles: the organization's custom roles and their permissions (roles:manage).
import { useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { Card, FormStatus, Submit, TextField } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { useForm } from "../../ui/use-form";
import * as o from "../org-api";
import { actionError } from "../pages/shared";
import { useRoles } from "./access";

export function RolesCard({ org }: { org: o.Org }) {
  const t = useI18n();
  const { roles, reload } = useRoles(org, true);
  const [error, setError] = useState("");
  const form = useForm(`org-role-${org.id}`, { key: "", name: "", permissions: "" });
  const perms = (s: string) => s.split(/[\s,]+/).filter(Boolean);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => o.createRole(org.id, { key: v.key.trim(), name: v.name.trim(), permissions: perms(v.permissions) }),
      (role) => {
        form.set("key", "");
        form.set("name", "");
        form.set("permissions", "");
        reload();
        return t("orgs.roleCreated", { name: role.name });
      },
    );
  };
  const remove = async (role: o.Role) => {
    const r = await o.deleteRole(org.id, role.key);
    setError(actionError(r));
    if (r.ok) toast(t("orgs.roleDeleted", { name: role.name }));
    reload();
  };
  const edit = async (role: o.Role) => {
    const next = prompt(t("orgs.editPermissions", { name: role.name }), role.permissions.join(" "));
    if (next === null) return;
    const r = await o.updateRole(org.id, role.key, { permissions: perms(next) });
    setError(actionError(r));
    if (r.ok) toast(t("orgs.roleSaved", { name: role.name }));
    reload();
  };
  return (
    <Card title={t("orgs.roles")} id="org-roles">
      <ul class="list">
        {roles.map((r) => (
          <li key={r.key} class="session">
            <div>
              <strong>{r.name}</strong> <code>{r.key}</code>
              <div class="hint">{r.permissions.join(", ") || t("orgs.noPermissions")}</div>
            </div>
            {r.key === "owner" ? null : (
              <>
                <button type="button" class="secondary" onClick={() => void edit(r)} aria-label={t("orgs.editNamed", { name: r.name })}>
                  {t("orgs.edit")}
                </button>
                <button type="button" class="secondary" onClick={() => void remove(r)} aria-label={t("orgs.deleteRoleNamed", { name: r.name })}>
                  {t("orgs.deleteRole")}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {error ? (
        <p role="alert" class="form-status error">
          {error}
        </p>
      ) : null}
      <h3>{t("orgs.newRole")}</h3>
      <form onSubmit={onSubmit} noValidate>
        <TextField id="role-key" label={t("orgs.roleKey")} required value={form.values.key} onValue={(v) => form.set("key", v)} error={form.fieldErrors.key} />
        <TextField
          id="role-name"
          label={t("orgs.roleName")}
          required
          value={form.values.name}
          onValue={(v) => form.set("name", v)}
          error={form.fieldErrors.name}
        />
        <TextField
          id="role-permissions"
          label={t("orgs.permissions")}
          hint={t("orgs.permissionsHint")}
          value={form.values.permissions}
          onValue={(v) => form.set("permissions", v)}
          error={form.fieldErrors.permissions}
        />
        <FormStatus status={form.status} message={form.message} />
        <Submit status={form.status}>{t("orgs.createRole")}</Submit>
      </form>
    </Card>
  );
}
