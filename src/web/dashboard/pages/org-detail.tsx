// One organization: settings (org:update / org:delete), members (change role, remove),
// roles (roles:manage), invitations (send, resend, revoke) and activity. Each card shows
// only when the caller's role holds its permission; the server decides regardless.
import { useEffect, useState } from "preact/hooks";
import { activityText, formatDate, language, useI18n } from "../../i18n";
import { navigate } from "../../router";
import { currentUser } from "../../session";
import { Card, FormStatus, Submit, TextField } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { useForm } from "../../ui/use-form";
import * as o from "../org-api";
import { actionError } from "./shared";

const can = (org: o.Org, p: string) => org.role === "owner" || org.permissions.includes(p);

export default function OrgDetail({ orgId }: { orgId: string }) {
  const t = useI18n();
  const [org, setOrg] = useState<o.Org | null | undefined>(undefined);
  const load = () => void o.getOrg(orgId).then((r) => setOrg(r.ok ? r.data : null));
  useEffect(load, [orgId]);
  if (org === undefined) return <p role="status">{t("app.loading")}</p>;
  if (org === null) {
    return (
      <>
        <h1>{t("orgs.notFound")}</h1>
        <p>
          <a href="/orgs">{t("orgs.back")}</a>
        </p>
      </>
    );
  }
  const pickRoles = can(org, "roles:manage") || can(org, "members:manage") || can(org, "invitations:manage");
  return (
    <>
      <h1>{org.name}</h1>
      <p class="hint">
        <a href="/orgs">{t("orgs.back")}</a> · {t("orgs.yourRole", { role: org.role })}
      </p>
      {can(org, "org:update") || can(org, "org:delete") ? <Settings org={org} onSaved={setOrg} /> : null}
      {can(org, "members:read") ? <Members org={org} withRoles={pickRoles} /> : null}
      {can(org, "invitations:manage") ? <Invitations org={org} /> : null}
      {can(org, "roles:manage") ? <Roles org={org} /> : null}
      {can(org, "members:read") ? <Activity org={org} /> : null}
    </>
  );
}

function Settings({ org, onSaved }: { org: o.Org; onSaved: (org: o.Org) => void }) {
  const t = useI18n();
  const form = useForm(`org-settings-${org.id}`, { name: org.name, slug: org.slug, kind: org.kind ?? "" });
  const [error, setError] = useState("");
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => o.updateOrg(org.id, { name: v.name, slug: v.slug, kind: v.kind.trim() || null }),
      (saved) => (onSaved(saved), t("orgs.saved")),
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

function useRoles(org: o.Org, enabled: boolean) {
  const [roles, setRoles] = useState<o.Role[]>([]);
  const load = () => void (enabled ? o.listRoles(org.id).then((r) => r.ok && setRoles(r.data.roles)) : undefined);
  useEffect(load, [org.id]);
  return { roles, reload: load };
}

function Members({ org, withRoles }: { org: o.Org; withRoles: boolean }) {
  const t = useI18n();
  const me = currentUser.get()?.id;
  const [members, setMembers] = useState<o.Member[] | null>(null);
  const [error, setError] = useState("");
  const { roles } = useRoles(org, withRoles);
  const load = () => void o.listMembers(org.id).then((r) => setMembers(r.ok ? r.data.members : []));
  useEffect(load, [org.id]);
  const manage = can(org, "members:manage");

  const change = async (m: o.Member, role: string) => {
    const r = await o.changeRole(org.id, m.userId, role);
    setError(actionError(r));
    if (r.ok) toast(t("orgs.roleChanged", { who: m.name || m.email || "", role }));
    load();
  };
  const remove = async (m: o.Member) => {
    const self = m.userId === me;
    if (!confirm(self ? t("orgs.leaveConfirm", { name: org.name }) : t("orgs.removeConfirm", { who: m.name || m.email || "" }))) return;
    const r = await o.removeMember(org.id, m.userId);
    setError(actionError(r));
    if (r.ok && self) return navigate("/orgs");
    if (r.ok) toast(t("orgs.removed", { who: m.name || m.email || "" }));
    load();
  };

  return (
    <Card title={t("orgs.members")} id="org-members">
      {members === null ? <p role="status">{t("app.loading")}</p> : null}
      <ul class="list">
        {members?.map((m) => {
          const who = m.name || m.email || m.userId;
          // Only an owner manages owners (the server enforces the general rule: you manage
          // whom your permissions cover); hide controls that could only be refused.
          const managed = manage && (m.role !== "owner" || org.role === "owner");
          return (
            <li key={m.userId} class="session">
              <div>
                <strong>{who}</strong> {m.userId === me ? <span class="badge">{t("orgs.you")}</span> : null}
                <div class="hint">
                  {m.email && m.name ? `${m.email} · ` : ""}
                  {t("orgs.joined", { when: formatDate(m.joinedAt) })}
                  {m.lastActiveAt ? ` · ${t("account.lastActive", { when: formatDate(m.lastActiveAt) })}` : ""}
                </div>
              </div>
              {managed && roles.length ? (
                <label>
                  <span class="visually-hidden">{t("orgs.roleOf", { who })}</span>
                  <select value={m.role} onChange={(e) => void change(m, e.currentTarget.value)}>
                    {roles.map((r) => (
                      <option key={r.key} value={r.key}>
                        {r.name}
                      </option>
                    ))}
                  </select>
                </label>
              ) : (
                <span class="badge">{m.role}</span>
              )}
              {managed || m.userId === me ? (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => void remove(m)}
                  aria-label={m.userId === me ? t("orgs.leave") : t("orgs.removeNamed", { who })}
                >
                  {m.userId === me ? t("orgs.leave") : t("orgs.remove")}
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {error ? (
        <p role="alert" class="form-status error">
          {error}
        </p>
      ) : null}
    </Card>
  );
}

function Invitations({ org }: { org: o.Org }) {
  const t = useI18n();
  const [pending, setPending] = useState<o.Invitation[]>([]);
  const [error, setError] = useState("");
  const { roles } = useRoles(org, true);
  const load = () => void o.listInvitations(org.id).then((r) => r.ok && setPending(r.data.invitations));
  useEffect(load, [org.id]);
  const form = useForm(`org-invite-${org.id}`, { email: "", role: "" });
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => o.sendInvitation(org.id, v.email.trim(), v.role || roles.find((r) => r.key !== "owner")?.key || "", language.get()),
      (inv) => {
        form.set("email", "");
        load();
        return t("orgs.invited", { email: inv.email });
      },
    );
  };
  const act = async (inv: o.Invitation, what: "resend" | "revoke") => {
    const r = what === "resend" ? await o.resendInvitation(org.id, inv.id) : await o.revokeInvitation(org.id, inv.id);
    setError(actionError(r));
    if (r.ok) toast(what === "resend" ? t("orgs.resent", { email: inv.email }) : t("orgs.revoked", { email: inv.email }));
    load();
  };
  return (
    <Card title={t("orgs.invitations")} id="org-invitations">
      <form onSubmit={onSubmit} noValidate>
        <TextField
          id="invite-email"
          type="email"
          label={t("field.email")}
          required
          value={form.values.email}
          onValue={(v) => form.set("email", v)}
          error={form.fieldErrors.email}
        />
        <div class="field">
          <label for="invite-role">{t("orgs.role")}</label>
          <select
            id="invite-role"
            value={form.values.role || roles.find((r) => r.key !== "owner")?.key || ""}
            onChange={(e) => form.set("role", e.currentTarget.value)}
          >
            {roles.map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <FormStatus status={form.status} message={form.message} />
        <Submit status={form.status}>{t("orgs.invite")}</Submit>
      </form>
      {pending.length ? <h3>{t("orgs.pending")}</h3> : null}
      <ul class="list">
        {pending.map((inv) => (
          <li key={inv.id} class="session">
            <div>
              <strong>{inv.email}</strong>
              <div class="hint">
                {inv.role} · {t("orgs.expires", { when: formatDate(inv.expiresAt) })}
              </div>
            </div>
            <button type="button" class="secondary" onClick={() => void act(inv, "resend")} aria-label={t("orgs.resendNamed", { email: inv.email })}>
              {t("orgs.resend")}
            </button>
            <button type="button" class="secondary" onClick={() => void act(inv, "revoke")} aria-label={t("orgs.revokeNamed", { email: inv.email })}>
              {t("orgs.revoke")}
            </button>
          </li>
        ))}
      </ul>
      {error ? (
        <p role="alert" class="form-status error">
          {error}
        </p>
      ) : null}
    </Card>
  );
}

function Roles({ org }: { org: o.Org }) {
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

function Activity({ org }: { org: o.Org }) {
  const t = useI18n();
  const [events, setEvents] = useState<o.OrgEvent[] | null>(null);
  useEffect(() => void o.orgActivity(org.id).then((r) => setEvents(r.ok ? r.data.events : [])), [org.id]);
  return (
    <Card title={t("nav.activity")} id="org-activity">
      {events === null ? <p role="status">{t("app.loading")}</p> : null}
      <ul class="list">
        {events?.map((e) => (
          <li key={e.id}>
            {activityText(e.type)}{" "}
            <span class="hint">
              · {formatDate(e.at)}
              {e.impersonatorId ? ` · ${t("orgs.byAdmin")}` : ""}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
