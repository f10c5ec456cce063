// The account's phone: shows the verified number. Adding or changing it comes next.
import { useEffect, useState } from "preact/hooks";
import { myPhone } from "../../flows";
import { useI18n } from "../../i18n";
import { Card } from "../../ui/fields";

export function PhoneCard() {
  const t = useI18n();
  const [phone, setPhone] = useState<string | null | undefined>(undefined);
  useEffect(() => void myPhone().then(setPhone), []);
  if (phone === undefined) return null;
  return (
    <Card title={t("account.phone")} id="phone">
      <p dir={phone ? "ltr" : undefined}>{phone ?? t("security.noPhone")}</p>
    </Card>
  );
}
