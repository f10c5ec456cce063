// Overview: a welcome, a security checklist built from what the API says, and the
// latest activity. Each check appears only when the deployment has the feature behind
// it (second factors and passkeys come with GET /api/me/mfa), and links to the fix.
import { useEffect, useState } from "preact/hooks";
import { api, hasRoute } from "../../api";
import type { ActivityItem } from "../../../contract/me";
import { listActivity, listSessions, myPhone } from "../../flows";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../i18n/en";
import { currentUser, type User } from "../../session";
import { useSignal } from "../../signal";
import { Card } from "../../ui/fields";
import { ActivityList } from "./activity-list";

type Check = { id: string; ok: boolean; label: MessageKey; fix: MessageKey; href: string };
/** GET /api/me/mfa (second factors, issue 15). */
type MfaStatus = { totp?: boolean; passkeys?: number };

// The server names a user agent it cannot read "Unknown device" (src/auth/device.ts).
const UNKNOWN_DEVICE = "Unknown device";

async function securityChecks(user: User): Promise<Check[]> {
  const [phone, mfa, sessions] = await Promise.all([
    hasRoute("GET", "/api/me/phone").then((has) => (has ? myPhone() : undefined)),
    hasRoute("GET", "/api/me/mfa").then(async (has) => {
      const r = has ? await api<MfaStatus>("/api/me/mfa", { auth: true }) : null;
      return r?.ok ? r.data : undefined;
    }),
    hasRoute("GET", "/api/me/sessions").then((has) => (has ? listSessions() : null)),
  ]);
  const checks: (Check | null)[] = [
    user.email ? { id: "email", ok: user.emailVerified, label: "overview.check.email", fix: "overview.fix.email", href: "/profile" } : null,
    phone !== undefined
      ? { id: "phone", ok: Boolean(phone), label: "overview.check.phone", fix: "overview.fix.phone", href: "/settings/security#phone-title" }
      : null,
    mfa
      ? {
          id: "mfa",
          ok: mfa.totp === true || (mfa.passkeys ?? 0) > 0,
          label: "overview.check.mfa",
          fix: "overview.fix.mfa",
          href: "/settings/security#mfa-title",
        }
      : null,
    mfa
      ? { id: "passkey", ok: (mfa.passkeys ?? 0) > 0, label: "overview.check.passkey", fix: "overview.fix.passkey", href: "/settings/security#passkeys-title" }
      : null,
    sessions
      ? {
          id: "devices",
          ok: !sessions.some((s) => !s.device || s.device === UNKNOWN_DEVICE),
          label: "overview.check.devices",
          fix: "overview.fix.devices",
          href: "/settings/sessions",
        }
      : null,
  ];
  return checks.filter((c): c is Check => c !== null);
}

export default function OverviewPage() {
  const t = useI18n();
  const user = useSignal(currentUser);
  const [checks, setChecks] = useState<Check[] | null>(null);
  const [events, setEvents] = useState<ActivityItem[] | null | undefined>(undefined);
  useEffect(() => {
    if (user) void securityChecks(user).then(setChecks);
  }, [user]);
  useEffect(() => {
    void hasRoute("GET", "/api/me/activity").then((has) => (has ? listActivity().then((r) => setEvents(r ? r.events.slice(0, 5) : null)) : setEvents(null)));
  }, []);
  if (!user) return null;
  return (
    <>
      <h1>{user.name ? t("overview.welcomeName", { name: user.name }) : t("overview.welcome")}</h1>
      <p>{t("overview.intro")}</p>
      <Card title={t("overview.checklist")} id="checklist">
        {checks ? (
          <ul class="checklist">
            {checks.map((c) => (
              <li key={c.id} class={c.ok ? "ok" : "todo"}>
                <span>
                  <span class={`badge ${c.ok ? "ok" : "todo"}`}>{c.ok ? t("overview.done") : t("overview.todo")}</span> {t(c.label)}
                </span>
                {c.ok ? null : <a href={c.href}>{t(c.fix)}</a>}
              </li>
            ))}
          </ul>
        ) : (
          <p role="status">{t("app.loading")}</p>
        )}
      </Card>
      {events ? (
        <Card title={t("overview.recent")} id="recent">
          <ActivityList events={events} />
          <a href="/activity">{t("overview.allActivity")}</a>
        </Card>
      ) : null}
    </>
  );
}
