// Dashboard sections backed by optional APIs: sessions/devices, activity, sign-in
// methods. Each loads on its own; a missing route (null) hides the section.
import { useEffect, useState } from "preact/hooks";
import { type ActivityEvent, endOtherSessions, endSession, type Identity, listActivity, listIdentities, listSessions, type SessionInfo } from "../flows";
import { formatDate, problemMessage, useI18n } from "../i18n";
import { navigate } from "../router";
import { forgetSession } from "../session";
import { Card } from "../ui/fields";

const deviceName = (s: { deviceLabel?: string; device?: string; userAgent?: string }, fallback: string) => s.deviceLabel || s.device || s.userAgent || fallback;

export function SessionsSection() {
  const t = useI18n();
  const [sessions, setSessions] = useState<SessionInfo[] | null | undefined>(undefined);
  const [note, setNote] = useState("");
  const load = () => void listSessions().then(setSessions);
  useEffect(load, []);
  if (!sessions) return null;

  const signOut = async (s: SessionInfo) => {
    const r = await endSession(s.id);
    if (!r.ok) return setNote("offline" in r && r.offline ? t("form.offlineQueued") : problemMessage(r.problem));
    if (s.current) {
      forgetSession();
      return navigate("/sign-in", { replace: true });
    }
    setNote(t("account.sessionSignedOut"));
    load();
  };
  const signOutOthers = async () => {
    const r = await endOtherSessions();
    setNote(r.ok ? t("account.othersSignedOut") : "offline" in r && r.offline ? t("form.offlineQueued") : problemMessage(r.problem));
    load();
  };

  return (
    <Card title={t("account.sessions")} id="sessions">
      <ul class="list">
        {sessions.map((s) => {
          const name = deviceName(s, t("account.unknownDevice"));
          const last = s.lastUsedAt ?? s.lastSeenAt ?? s.createdAt;
          return (
            <li key={s.id} class="session">
              <div>
                <strong>{name}</strong> {s.current ? <span class="badge ok">{t("account.thisDevice")}</span> : null}
                <div class="hint">
                  {last ? t("account.lastActive", { when: formatDate(last) }) : null} {s.ip ? <span dir="ltr">· {s.ip}</span> : null}
                </div>
              </div>
              <button type="button" class="secondary" onClick={() => void signOut(s)} aria-label={t("account.signOutSession", { device: name })}>
                {t("account.signOutDevice")}
              </button>
            </li>
          );
        })}
      </ul>
      {sessions.filter((s) => !s.current).length ? (
        <button type="button" class="secondary" onClick={() => void signOutOthers()}>
          {t("account.signOutOthers")}
        </button>
      ) : null}
      <p role="status">{note}</p>
    </Card>
  );
}

export function ActivitySection() {
  const t = useI18n();
  const [events, setEvents] = useState<ActivityEvent[] | null | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  useEffect(() => {
    void listActivity().then((r) => {
      setEvents(r ? r.events : null);
      setCursor(r?.nextCursor ?? null);
    });
  }, []);
  if (!events) return null;
  const more = async () => {
    const r = await listActivity(cursor ?? undefined);
    if (!r) return;
    setEvents([...events, ...r.events]);
    setCursor(r.nextCursor ?? null);
  };
  return (
    <Card title={t("account.activity")} id="activity">
      {events.length === 0 ? <p>{t("account.noActivity")}</p> : null}
      <ul class="list">
        {events.map((e, i) => (
          <li key={e.id ?? i}>
            <span>{e.type.replace(/[._]/g, " ")}</span>
            <span class="hint">
              {formatDate(e.createdAt)} {e.ip ? <span dir="ltr">· {e.ip}</span> : null}
            </span>
          </li>
        ))}
      </ul>
      {cursor ? (
        <button type="button" class="secondary" onClick={() => void more()}>
          {t("account.loadMore")}
        </button>
      ) : null}
    </Card>
  );
}

export function MethodsSection() {
  const t = useI18n();
  const [identities, setIdentities] = useState<Identity[] | null | undefined>(undefined);
  useEffect(() => void listIdentities().then(setIdentities), []);
  if (!identities || identities.length === 0) return null;
  return (
    <Card title={t("account.methods")} id="methods">
      <ul class="list">
        {identities.map((i, n) => (
          <li key={i.id ?? n}>
            <strong>{i.provider === "password" ? t("account.methodPassword") : i.provider}</strong>
            {i.email ? <span class="hint"> {i.email}</span> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
