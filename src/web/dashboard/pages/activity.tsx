// Recent activity: the account's audit trail, newest first, paged by cursor.
import { useEffect, useState } from "preact/hooks";
import type { ActivityItem } from "../../../contract/me";
import { listActivity } from "../../flows";
import { useI18n } from "../../i18n";
import { Card } from "../../ui/fields";
import { ActivityList } from "./activity-list";

export default function ActivityPage() {
  const t = useI18n();
  const [events, setEvents] = useState<ActivityItem[] | null | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  useEffect(() => {
    void listActivity().then((r) => {
      setEvents(r ? r.events : null);
      setCursor(r?.nextCursor ?? null);
    });
  }, []);
  const more = async () => {
    const r = await listActivity(cursor ?? undefined);
    if (!r || !events) return;
    setEvents([...events, ...r.events]);
    setCursor(r.nextCursor ?? null);
  };
  return (
    <>
      <h1>{t("nav.activity")}</h1>
      {events === undefined ? <p role="status">{t("app.loading")}</p> : null}
      {events ? (
        <Card>
          <ActivityList events={events} />
          {cursor ? (
            <button type="button" class="secondary" onClick={() => void more()}>
              {t("account.loadMore")}
            </button>
          ) : null}
        </Card>
      ) : null}
    </>
  );
}
