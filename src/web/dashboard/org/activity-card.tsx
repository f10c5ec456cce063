// What happened in the organization, newest first (members:read); no IPs or devices of
// other members.
import { useEffect, useState } from "preact/hooks";
import { activityText, formatDate, useI18n } from "../../i18n";
import { Card } from "../../ui/fields";
import * as o from "../org-api";

export function ActivityCard({ org }: { org: o.Org }) {
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
