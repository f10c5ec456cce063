// Organizations: my organizations (switch the active one, create one) and, under
// /orgs/<id>, one organization's settings, members, roles, invitations and activity.
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { navigate } from "../../router";
import { ActionError, Card, FormStatus, Submit, TextField } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { useForm } from "../../ui/use-form";
import { activeOrgId, createOrg, listOrgs, type Org, switchOrg } from "../org-api";
import type { PageProps } from "../sections";
import OrgDetail from "./org-detail";
import { actionError } from "./shared";

export default function OrgsPage({ subpath }: PageProps) {
  const id = /^\/([A-Za-z0-9_-]{1,64})$/.exec(subpath)?.[1];
  return id ? <OrgDetail key={id} orgId={id} /> : <OrgList />;
}

function OrgList() {
  const t = useI18n();
  const [orgs, setOrgs] = useState<Org[] | null>(null);
  const [active, setActive] = useState(activeOrgId);
  const [error, setError] = useState("");
  const load = () => void listOrgs().then((r) => setOrgs(r.ok ? r.data.organizations : []));
  useEffect(load, []);
  const form = useForm("org-create", { name: "", kind: "" }, { persist: ["name", "kind"] });

  const makeActive = async (org: Org | null) => {
    const r = await switchOrg(org?.id ?? null);
    setError(actionError(r));
    if (r.ok) {
      setActive(activeOrgId());
      toast(org ? t("orgs.switched", { name: org.name }) : t("orgs.switchedNone"));
    }
  };
  const onCreate = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => createOrg(v.name, v.kind),
      (org) => {
        form.set("name", "");
        form.set("kind", "");
        toast(t("orgs.created", { name: org.name }));
        navigate(`/orgs/${org.id}`);
      },
    );
  };

  return (
    <>
      <h1>{t("nav.orgs")}</h1>
      <Card title={t("orgs.mine")} id="orgs-mine">
        {orgs === null ? <p role="status">{t("app.loading")}</p> : null}
        {orgs?.length === 0 ? <p>{t("orgs.none")}</p> : null}
        <ul class="list">
          {orgs?.map((o) => (
            <li key={o.id} class="session">
              <div>
                <a href={`/orgs/${o.id}`}>
                  <strong>{o.name}</strong>
                </a>{" "}
                {o.id === active ? <span class="badge ok">{t("orgs.active")}</span> : null}
                <div class="hint">
                  {o.kind ? `${o.kind} · ` : ""}
                  {t("orgs.yourRole", { role: o.role })}
                </div>
              </div>
              {o.id === active ? (
                <button type="button" class="secondary" onClick={() => void makeActive(null)}>
                  {t("orgs.leaveActive")}
                </button>
              ) : (
                <button type="button" class="secondary" onClick={() => void makeActive(o)} aria-label={t("orgs.makeActiveNamed", { name: o.name })}>
                  {t("orgs.makeActive")}
                </button>
              )}
            </li>
          ))}
        </ul>
        <ActionError message={error} />
      </Card>
      <Card title={t("orgs.create")} id="orgs-create">
        <form onSubmit={onCreate} noValidate>
          <TextField id="org-name" label={t("orgs.name")} required {...form.field("name")} />
          <TextField id="org-kind" label={t("orgs.kind")} hint={t("orgs.kindHint")} {...form.field("kind")} />
          <FormStatus status={form.status} message={form.message} />
          <Submit status={form.status}>{t("orgs.createSubmit")}</Submit>
        </form>
      </Card>
    </>
  );
}
