// Passkeys: the list (name, synced or on one device, last used), add one (the browser asks
// the authenticator), rename, remove. Adding and removing may ask to confirm who you are.
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { addPasskey, listPasskeys, passkeysSupported, removePasskey, renamePasskey, type Passkey } from "../../mfa-api";
import { Card, FormStatus, submitWith, TextField } from "../../ui/fields";
import { withReauth } from "../../ui/reauth";
import { toast } from "../../ui/toast";

export function PasskeysCard() {
  const t = useI18n();
  const [list, setList] = useState<Passkey[] | null>(null);
  const [name, setName] = useState("");
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState("");
  const reload = () => void listPasskeys().then((r) => r.ok && setList(r.data.passkeys));
  useEffect(reload, []);
  if (!list) return null;

  const add = async () => {
    setError("");
    const result = await withReauth(() => addPasskey(name.trim()));
    if (result.ok) {
      setName("");
      toast(t("passkeys.added"));
      reload();
    } else setError("cancelled" in result ? t("passkeys.cancelled") : result.offline ? t("app.offline") : (result.problem.detail ?? result.problem.title));
  };
  const rename = async () => {
    if (!editing) return;
    const r = await renamePasskey(editing.id, editing.name.trim());
    if (!r.ok) return setError(r.offline ? t("app.offline") : (r.problem.errors?.[0]?.message ?? r.problem.title));
    setEditing(null);
    reload();
  };
  const remove = async (id: string) => {
    const r = await withReauth(() => removePasskey(id));
    if (!r.ok) return setError(r.offline ? t("app.offline") : r.problem.title);
    toast(t("passkeys.removed"));
    reload();
  };

  return (
    <Card title={t("passkeys.title")} id="passkeys">
      {list.length === 0 ? <p>{t("passkeys.none")}</p> : null}
      <ul class="list">
        {list.map((p) =>
          editing?.id === p.id ? (
            <li key={p.id}>
              <form class="row" onSubmit={submitWith(rename)}>
                <TextField id={`rename-${p.id}`} label={t("passkeys.name")} value={editing.name} onValue={(v) => setEditing({ id: p.id, name: v })} />
                <button type="submit" class="primary">
                  {t("passkeys.save")}
                </button>
              </form>
            </li>
          ) : (
            <li key={p.id} class="row">
              <span>
                <strong>{p.name}</strong> · {t(p.deviceType === "multi_device" ? "passkeys.synced" : "passkeys.device")} ·{" "}
                {p.lastUsedAt ? t("passkeys.lastUsed", { when: new Date(p.lastUsedAt).toLocaleDateString() }) : t("passkeys.neverUsed")}
              </span>
              <button type="button" class="secondary" onClick={() => setEditing({ id: p.id, name: p.name })}>
                {t("passkeys.rename")}
              </button>
              <button type="button" class="secondary" aria-label={t("passkeys.removeNamed", { name: p.name })} onClick={() => void remove(p.id)}>
                {t("passkeys.remove")}
              </button>
            </li>
          ),
        )}
      </ul>
      {passkeysSupported() ? (
        <form class="stack" onSubmit={submitWith(add)}>
          <TextField id="passkey-name" label={t("passkeys.newName")} value={name} onValue={setName} />
          <button type="submit" class="primary">
            {t("passkeys.add")}
          </button>
        </form>
      ) : (
        <p>{t("passkeys.unsupported")}</p>
      )}
      <FormStatus status={error ? "error" : "idle"} message={error} />
    </Card>
  );
}
