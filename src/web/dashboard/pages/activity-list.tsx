// A list of audit events (the Activity page and the Overview's latest five).
import type { ActivityItem } from "../../../contract/me";
import { activityText, formatDate, useI18n } from "../../i18n";
import { place } from "./shared";

export function ActivityList({ events }: { events: ActivityItem[] }) {
  const t = useI18n();
  if (events.length === 0) return <p>{t("account.noActivity")}</p>;
  return (
    <ul class="list">
      {events.map((e) => (
        <li key={e.id}>
          <span>
            {activityText(e.type)}
            {e.reason ? <span class="hint"> ({e.reason.replace(/_/g, " ")})</span> : null}
          </span>
          <span class="hint">
            {formatDate(e.at)} {e.device ? `· ${e.device}` : ""} {place(e)} {e.ip ? <span dir="ltr">· {e.ip}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
