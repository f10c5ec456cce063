// Sign-in methods: the password, linked social accounts (unlink, link another) and the phone.
import { useEffect, useState } from "preact/hooks";
import type { IdentitiesResponse, Identity } from "../../../contract/me";
import { listIdentities, listProviders, type Provider, startLinking, unlinkIdentity } from "../../flows";
import { useI18n } from "../../i18n";
import { Card } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { actionError } from "../pages/shared";

export function MethodsCard() {
  const t = useI18n();
  const [data, setData] = useState<IdentitiesResponse | null | undefined>(undefined);
  const [providers, setProviders] = useState<Provider[]>([]);
  const [error, setError] = useState("");
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
    else setError(actionError(r));
  };
  const unlink = async (i: Identity) => {
    const r = await unlinkIdentity(i.id);
    setError(actionError(r));
    if (r.ok) toast(t("account.unlinked"));
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
        {data.identities.map((i) => (
          <li key={i.id}>
            <span>
              <strong>{i.provider === "phone" ? t("account.phone") : providerName(i.provider)}</strong>
              {i.email ? <span class="hint"> {i.email}</span> : null}
            </span>
            {i.provider !== "phone" ? (
              <button
                type="button"
                class="secondary"
                onClick={() => void unlink(i)}
                aria-label={t("account.unlinkProvider", { provider: providerName(i.provider) })}
              >
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
      {error ? (
        <p role="alert" class="form-status error">
          {error}
        </p>
      ) : null}
    </Card>
  );
}
