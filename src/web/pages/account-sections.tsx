// Dashboard sections backed by optional APIs: sessions/devices, activity, sign-in
// methods. Each loads on its own; a missing route (null) hides the section.
import { useEffect, useState } from "preact/hooks";
import {
  type ActivityEvent, endOtherSessions, endSession, type Identity, listActivity, listIdentities, listProviders, listSessions, type Provider,
  type SessionInfo, startLinking, unlinkIdentity,
} from "../flows";
import { activityText, formatDate, problemMessage, t as translate, useI18n } from "../i18n";
import type { ApiResult } from "../api";
import { navigate } from "../router";
import { forgetSession } from "../session";
import { Card } from "../ui/fields";

const place = (x: { city?: string | null; country?: string | null }) => [x.city, x.country].filter(Boolean).join(", ");
const outcome = (r: ApiResult<unknown>, ok: string) => (r.ok ? ok : "offline" in r && r.offline ? translate("form.offlineQueued") : problemMessage(r.problem));

export function SessionsSection() {
  const t = useI18n();
  const [sessions, setSessions] = useState<SessionInfo[] | null | undefined>(undefined);
  const [note, setNote] = useState("");
  const load = () => void listSessions().then(setSessions);
  useEffect(load, []);
  if (!sessions) return null;

  const signOut = async (s: SessionInfo) => {
    const r = await endSession(s.id);
    if (r.ok && s.current) {
      forgetSession();
      return navigate("/sign-in", { replace: true });
    }
    setNote(outcome(r, t("account.sessionSignedOut")));
    load();
  };
  const signOutOthers = async () => {
    setNote(outcome(await endOtherSessions(), t("account.othersSignedOut")));
    load();
  };

  return (
    <Card title={t("account.sessions")} id="sessions">
      <ul class="list">
        {sessions.map((s) => {
          const name = s.device || t("account.unknownDevice");
          return (
            <li key={s.id} class="session">
              <div>
                <strong>{name}</strong> {s.current ? <span class="badge ok">{t("account.thisDevice")}</span> : null}
                <div class="hint">
                  {s.lastUsedAt ? t("account.lastActive", { when: formatDate(s.lastUsedAt) }) : null} {place(s)} {s.ip ? <span dir="ltr">· {s.ip}</span> : null}
                </div>
              </div>
              <button type="button" class="secondary" onClick={() => void signOut(s)} aria-label={t("account.signOutSession", { device: s.current ? t("account.thisDevice") : name })}>
                {t("account.signOutDevice")}
              </button>
            </li>
          );
        })}
      </ul>
      {sessions.some((s) => !s.current) ? (
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
            <span>
              {activityText(e.type)}
              {e.reason ? <span class="hint"> ({e.reason.replace(/_/g, " ")})</span> : null}
            </span>
            <span class="hint">
              {formatDate(e.at ?? e.createdAt ?? "")} {e.device ? `· ${e.device}` : ""} {place(e)} {e.ip ? <span dir="ltr">· {e.ip}</span> : null}
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
  const [data, setData] = useState<{ identities: Identity[]; hasPassword: boolean } | null | undefined>(undefined);
  const [providers, setProviders] = useState<Provider[]>([]);
  const [note, setNote] = useState("");
  const load = () => void listIdentities().then(setData);
  useEffect(() => {
    load();
    void listProviders().then(setProviders);
  }, []);
  if (!data) return null;
  const providerName = (id: string) => providers.find((p) => p.id === id)?.name ?? id;
  const linkable = providers.filter((p) => !data.identities.some((i) => i.provider === p.id));

  const link = async (p: Provider) => {
    const r = await startLinking(p.id);
    if (r.ok) window.location.assign(r.data.authorizationUrl);
    else setNote(outcome(r, ""));
  };
  const unlink = async (i: Identity) => {
    setNote(outcome(await unlinkIdentity(i.id ?? ""), t("account.unlinked")));
    load();
  };

  return (
    <Card title={t("account.methods")} id="methods">
      <ul class="list">
        {data.hasPassword ? (
          <li>
            <strong>{t("account.methodPassword")}</strong>
          </li>
        ) : null}
        {data.identities.map((i, n) => (
          <li key={i.id ?? n}>
            <span>
              <strong>{i.provider === "phone" ? t("account.phone") : providerName(i.provider)}</strong>
              {i.email ? <span class="hint"> {i.email}</span> : null}
            </span>
            {i.id && i.provider !== "phone" ? (
              <button type="button" class="secondary" onClick={() => void unlink(i)} aria-label={t("account.unlinkProvider", { provider: providerName(i.provider) })}>
                {t("account.unlink")}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <div class="stack">
        {linkable.map((p) => (
          <button type="button" class="secondary" key={p.id} onClick={() => void link(p)}>
            {t("account.linkProvider", { provider: p.name })}
          </button>
        ))}
      </div>
      <p role="status">{note}</p>
    </Card>
  );
}
