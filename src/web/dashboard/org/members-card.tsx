// Members: who is in the organization and their role (changed with members:manage);
// removing a member (members:manage), or yourself, which is leaving.
import { useEffect, useState } from "preact/hooks";
import { formatDate, useI18n } from "../../i18n";
import { navigate } from "../../router";
import { currentUser } from "../../session";
import { Card } from "../../ui/fields";
import { toast } from "../../ui/toast";
import * as o from "../org-api";
import { actionError } from "../pages/shared";
import { can, useRoles } from "./access";

export function MembersCard({ org, withRoles }: { org: o.Org; withRoles: boolean }) {
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
