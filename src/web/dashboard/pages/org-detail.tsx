// One organization: settings (org:update / org:delete), members (change role, remove),
// roles (roles:manage), invitations (send, resend, revoke) and activity, one card each
// in src/web/dashboard/org/. Each card shows only when the caller's role holds its
// permission; the server decides regardless.
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { can } from "../org/access";
import { ActivityCard } from "../org/activity-card";
import { InvitationsCard } from "../org/invitations-card";
import { MembersCard } from "../org/members-card";
import { RolesCard } from "../org/roles-card";
import { SettingsCard } from "../org/settings-card";
import * as o from "../org-api";

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
      {can(org, "org:update") || can(org, "org:delete") ? <SettingsCard org={org} onSaved={setOrg} /> : null}
      {can(org, "members:read") ? <MembersCard org={org} withRoles={pickRoles} /> : null}
      {can(org, "invitations:manage") ? <InvitationsCard org={org} /> : null}
      {can(org, "roles:manage") ? <RolesCard org={org} /> : null}
      {can(org, "members:read") ? <ActivityCard org={org} /> : null}
    </>
  );
}
