// Download everything held about the account (GET /api/me/export) as a JSON file.
import { useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { downloadExport } from "../../profile-api";
import { ActionError, Card } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { actionError } from "../pages/shared";

export function DataCard() {
  const t = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const download = async () => {
    setBusy(true);
    setError("");
    const r = await downloadExport();
    setBusy(false);
    if (!r.ok) return setError(actionError(r));
    toast(t("profile.exported"));
  };
  return (
    <Card title={t("profile.data")} id="data">
      <p>{t("profile.dataHint")}</p>
      <button type="button" class="secondary" aria-busy={busy ? "true" : undefined} onClick={() => void download()}>
        {t("profile.export")}
      </button>
      <ActionError message={error} />
    </Card>
  );
}
