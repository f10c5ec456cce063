// The account's phone: the verified number, and adding or changing it (a code goes to
// the new number; the old one stays until the new one is confirmed).
import { useEffect, useState } from "preact/hooks";
import { myPhone } from "../../flows";
import { useI18n } from "../../i18n";
import { Card } from "../../ui/fields";
import { PhoneVerifier } from "../../ui/phone-verifier";
import { toast } from "../../ui/toast";

export function PhoneCard() {
  const t = useI18n();
  const [phone, setPhone] = useState<string | null | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  useEffect(() => void myPhone().then(setPhone), []);
  return (
    <Card title={t("account.phone")} id="phone">
      <p dir={phone ? "ltr" : undefined}>{phone === undefined ? t("app.loading") : (phone ?? t("security.noPhone"))}</p>
      {phone === undefined ? null : editing ? (
        <PhoneVerifier
          id="security-phone"
          onCancel={() => setEditing(false)}
          onVerified={(verified) => {
            setPhone(verified);
            setEditing(false);
            toast(t("security.phoneVerified"));
          }}
        />
      ) : (
        <button type="button" class="secondary" onClick={() => setEditing(true)}>
          {phone ? t("security.changePhone") : t("security.addPhone")}
        </button>
      )}
    </Card>
  );
}
