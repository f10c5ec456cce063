// The organization switcher in the sidebar: which organization this session works in.
// Switching asks the server for a new access token carrying the `org` claim.
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../i18n";
import { toast } from "../ui/toast";
import { activeOrgId, listOrgs, type Org, switchOrg } from "./org-api";

export function OrgSwitcher() {
  const t = useI18n();
  const [orgs, setOrgs] = useState<Org[]>([]);
  const [active, setActive] = useState(activeOrgId);
  useEffect(() => void listOrgs().then((r) => r.ok && setOrgs(r.data.organizations)), []);
  if (orgs.length === 0) return null;
  const change = async (id: string) => {
    const r = await switchOrg(id || null);
    if (r.ok) {
      setActive(activeOrgId());
      toast(id ? t("orgs.switched", { name: orgs.find((o) => o.id === id)?.name ?? "" }) : t("orgs.switchedNone"));
    }
  };
  return (
    <div class="field org-switcher">
      <label for="org-switcher">{t("orgs.switcher")}</label>
      <select id="org-switcher" value={active ?? ""} onChange={(e) => void change(e.currentTarget.value)}>
        <option value="">{t("orgs.noActive")}</option>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}
