// Admin (platform admins only; sections.ts hides it from everyone else and the API
// answers 404 to them anyway): find users, and on /admin/<id> see one with the actions
// disable/enable, sign out everywhere, verify email, reset second factors (a locked-out
// user; needs the admin's recent sign-in), delete and impersonate.
import { useEffect, useState } from "preact/hooks";
import { activityText, formatDate, useI18n } from "../../i18n";
import { navigate } from "../../router";
import { acceptTokens } from "../../session";
import { Card, TextField } from "../../ui/fields";
import { withReauth } from "../../ui/reauth";
import { toast } from "../../ui/toast";
import * as o from "../org-api";
import type { PageProps } from "../sections";
import { actionError } from "./shared";

export default function AdminPage({ subpath }: PageProps) {
  const id = /^\/([A-Za-z0-9_-]{1,64})$/.exec(subpath)?.[1];
  return id ? <UserDetail key={id} userId={id} /> : <UserSearch />;
}

function UserSearch() {
  const t = useI18n();
  const [query, setQuery] = useState("");
  const [users, setUsers] = useState<o.AdminUser[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState("");
  const search = async (cursor?: string) => {
    const r = await o.searchUsers(query.trim(), cursor);
    setError(actionError(r));
    if (!r.ok) return;
    setUsers(cursor ? [...(users ?? []), ...r.data.users] : r.data.users);
    setNext(r.data.nextCursor);
  };
  useEffect(() => void search(), []);
  return (
    <>
      <h1>{t("nav.admin")}</h1>
      <Card title={t("admin.users")} id="admin-users">
        {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the browsers we support (Safari < 17); role="search" on the form is its documented equivalent */}
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void search();
          }}
        >
          <TextField id="admin-query" label={t("admin.search")} hint={t("admin.searchHint")} value={query} onValue={setQuery} />
          <button type="submit" class="primary">
            {t("admin.searchSubmit")}
          </button>
        </form>
        {error ? (
          <p role="alert" class="form-status error">
            {error}
          </p>
        ) : null}
        {users?.length === 0 ? <p>{t("admin.noUsers")}</p> : null}
        <ul class="list">
          {users?.map((u) => (
            <li key={u.id}>
              <a href={`/admin/${u.id}`}>{u.email || u.name || u.id}</a> {u.disabled ? <span class="badge">{t("admin.disabled")}</span> : null}
              {u.isPlatformAdmin ? <span class="badge">{t("nav.admin")}</span> : null}
              <div class="hint">{formatDate(u.createdAt)}</div>
            </li>
          ))}
        </ul>
        {next ? (
          <button type="button" class="secondary" onClick={() => void search(next)}>
            {t("admin.more")}
          </button>
        ) : null}
      </Card>
    </>
  );
}

function UserDetail({ userId }: { userId: string }) {
  const t = useI18n();
  const [detail, setDetail] = useState<o.AdminUserDetail | null | undefined>(undefined);
  const [error, setError] = useState("");
  const load = () => void o.userDetail(userId).then((r) => setDetail(r.ok ? r.data : null));
  useEffect(load, [userId]);
  if (detail === undefined) return <p role="status">{t("app.loading")}</p>;
  if (detail === null) return <h1>{t("admin.notFound")}</h1>;
  const u = detail.user;

  const act = async (action: "disable" | "enable" | "sign-out" | "verify-email") => {
    const r = await o.adminAction(u.id, action);
    setError(actionError(r));
    if (r.ok) toast(t("admin.done"));
    load();
  };
  const remove = async () => {
    if (!confirm(t("admin.deleteConfirm", { who: u.email || u.id }))) return;
    const r = await o.adminDelete(u.id);
    setError(actionError(r));
    if (r.ok) {
      toast(t("admin.deleted"));
      navigate("/admin");
    }
  };
  const resetMfa = async () => {
    if (!confirm(t("admin.resetMfaConfirm", { who: u.email || u.id }))) return;
    const r = await withReauth(() => o.resetSecondFactors(u.id));
    setError(actionError(r));
    if (!r.ok) return;
    const { totp, passkeys } = r.data;
    toast(totp ? t("admin.resetMfaApp", { passkeys }) : passkeys ? t("admin.resetMfaPasskeys", { passkeys }) : t("admin.resetMfaNone"));
    load();
  };
  const actAs = async () => {
    const r = await o.impersonate(u.id);
    setError(actionError(r));
    if (!r.ok) return;
    // In memory only: the refresh cookie still belongs to the admin, so ending the
    // impersonation (or its 15 minutes running out) is a refresh back to the admin.
    await acceptTokens(r.data);
    navigate("/dashboard");
  };

  return (
    <>
      <h1>{u.name || u.email || u.id}</h1>
      <p class="hint">
        <a href="/admin">{t("admin.back")}</a>
      </p>
      <Card title={t("admin.profile")} id="admin-profile">
        <dl>
          <dt>{t("field.email")}</dt>
          <dd>
            {u.email ?? "—"} {u.emailVerified ? <span class="badge ok">{t("admin.verified")}</span> : <span class="badge">{t("admin.unverified")}</span>}
          </dd>
          <dt>{t("admin.status")}</dt>
          <dd>{u.disabled ? t("admin.disabled") : t("admin.active")}</dd>
          <dt>{t("admin.created")}</dt>
          <dd>{formatDate(u.createdAt)}</dd>
        </dl>
        <div class="actions">
          {u.disabled ? (
            <button type="button" class="secondary" onClick={() => void act("enable")}>
              {t("admin.enable")}
            </button>
          ) : (
            <button type="button" class="secondary" onClick={() => void act("disable")}>
              {t("admin.disable")}
            </button>
          )}
          <button type="button" class="secondary" onClick={() => void act("sign-out")}>
            {t("admin.signOut")}
          </button>
          {u.email && !u.emailVerified ? (
            <button type="button" class="secondary" onClick={() => void act("verify-email")}>
              {t("admin.verifyEmail")}
            </button>
          ) : null}
          {!u.isPlatformAdmin && !u.disabled ? (
            <button type="button" class="secondary" onClick={() => void actAs()}>
              {t("admin.impersonate")}
            </button>
          ) : null}
          <button type="button" class="secondary" onClick={() => void resetMfa()}>
            {t("admin.resetMfa")}
          </button>
          <button type="button" class="secondary danger" onClick={() => void remove()}>
            {t("admin.delete")}
          </button>
        </div>
        {error ? (
          <p role="alert" class="form-status error">
            {error}
          </p>
        ) : null}
      </Card>
      <Card title={t("orgs.mine")} id="admin-memberships">
        <ul class="list">
          {detail.memberships.map((m) => (
            <li key={m.orgId}>
              {m.name} <span class="hint">· {m.role}</span>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("nav.sessions")} id="admin-sessions">
        <ul class="list">
          {detail.sessions.map((s) => (
            <li key={s.id}>
              {s.device}{" "}
              <span class="hint">
                · {s.method} · {formatDate(s.lastUsedAt)}
              </span>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("nav.activity")} id="admin-activity">
        <ul class="list">
          {detail.activity.map((e) => (
            <li key={e.id}>
              {activityText(e.type)} <span class="hint">· {formatDate(e.at)}</span>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
