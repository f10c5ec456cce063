// Sessions and devices: every signed-in device, sign one out or all the others.
import { useEffect, useState } from "preact/hooks";
import type { SessionItem } from "../../../contract/me";
import { endOtherSessions, endSession, listSessions } from "../../flows";
import { formatDate, useI18n } from "../../i18n";
import { navigate } from "../../router";
import { forgetSession } from "../../session";
import { Card } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { actionError, place } from "./shared";

export default function SessionsPage() {
  const t = useI18n();
  const [sessions, setSessions] = useState<SessionItem[] | null | undefined>(undefined);
  const [error, setError] = useState("");
  const load = () => void listSessions().then(setSessions);
  useEffect(load, []);

  const signOut = async (s: SessionItem) => {
    const r = await endSession(s.id);
    if (r.ok && s.current) {
      forgetSession();
      return navigate("/sign-in", { replace: true });
    }
    setError(actionError(r));
    if (r.ok) toast(t("account.sessionSignedOut"));
    load();
  };
  const signOutOthers = async () => {
    const r = await endOtherSessions();
    setError(actionError(r));
    if (r.ok) toast(t("account.othersSignedOut"));
    load();
  };

  return (
    <>
      <h1>{t("nav.sessions")}</h1>
      {sessions === undefined ? <p role="status">{t("app.loading")}</p> : null}
      {sessions ? (
        <Card>
          <ul class="list">
            {sessions.map((s) => {
              const name = s.device || t("account.unknownDevice");
              return (
                <li key={s.id} class="session">
                  <div>
                    <strong>{name}</strong> {s.current ? <span class="badge ok">{t("account.thisDevice")}</span> : null}{" "}
                    {/* How it signed in (amr): two steps, or a passkey (two factors in one). */}
                    {s.amr?.includes("mfa") ? (
                      <span class="badge">{t("sessions.twoStep")}</span>
                    ) : s.amr?.includes("hwk") ? (
                      <span class="badge">{t("sessions.passkey")}</span>
                    ) : null}
                    <div class="hint">
                      {s.lastUsedAt ? t("account.lastActive", { when: formatDate(s.lastUsedAt) }) : null} {place(s)}{" "}
                      {s.ip ? <span dir="ltr">· {s.ip}</span> : null}
                    </div>
                  </div>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void signOut(s)}
                    aria-label={t("account.signOutSession", { device: s.current ? t("account.thisDevice") : name })}
                  >
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
          {error ? (
            <p role="alert" class="form-status error">
              {error}
            </p>
          ) : null}
        </Card>
      ) : null}
    </>
  );
}
