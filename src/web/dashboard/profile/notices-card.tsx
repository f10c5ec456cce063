// Which notices the user gets: security notices always; the new-device alert by choice.
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../../i18n";
import { getPreferences, type Preferences, setPreferences } from "../../profile-api";
import { ActionError, Card } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { actionError } from "../pages/shared";

export function NoticesCard() {
  const t = useI18n();
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [error, setError] = useState("");
  useEffect(() => void getPreferences().then((r) => r.ok && setPrefs(r.data)), []);
  if (!prefs) return null;
  const toggle = async (newDevice: boolean) => {
    setError("");
    const r = await setPreferences({ notifications: { newDevice } });
    if (!r.ok) return setError(actionError(r));
    setPrefs(r.data);
    toast(t("profile.noticesSaved"));
  };
  return (
    <Card title={t("profile.notices")} id="notices">
      <label class="check">
        <input type="checkbox" checked disabled /> {t("profile.securityNotices")}
      </label>
      <label class="check">
        <input type="checkbox" checked={prefs.notifications.newDevice} onChange={(e) => void toggle(e.currentTarget.checked)} /> {t("profile.newDeviceNotices")}
      </label>
      <ActionError message={error} />
    </Card>
  );
}
