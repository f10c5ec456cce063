// Who the account is (GET /api/me, plus the verified phone): read-only facts.
import { useEffect, useState } from "preact/hooks";
import { myPhone } from "../../flows";
import { formatDate, useI18n } from "../../i18n";
import { currentUser } from "../../session";
import { useSignal } from "../../signal";
import { Card } from "../../ui/fields";

export function SummaryCard() {
  const t = useI18n();
  const user = useSignal(currentUser);
  const [phone, setPhone] = useState<string | null>(null);
  useEffect(() => void myPhone().then(setPhone), []);
  if (!user) return null;
  return (
    <Card>
      <dl class="profile">
        <dt>{t("account.nameLabel")}</dt>
        <dd>{user.name || t("account.none")}</dd>
        {user.username ? (
          <>
            <dt>{t("profile.username")}</dt>
            <dd>{user.username}</dd>
          </>
        ) : null}
        {user.email ? (
          <>
            <dt>{t("account.email")}</dt>
            <dd>
              {user.email}{" "}
              <span class={`badge ${user.emailVerified ? "ok" : ""}`}>{user.emailVerified ? t("account.verified") : t("account.notVerified")}</span>
            </dd>
          </>
        ) : null}
        {phone ? (
          <>
            <dt>{t("account.phone")}</dt>
            <dd dir="ltr">{phone}</dd>
          </>
        ) : null}
        <dt>{t("account.memberSince")}</dt>
        <dd>{formatDate(user.createdAt)}</dd>
      </dl>
    </Card>
  );
}
