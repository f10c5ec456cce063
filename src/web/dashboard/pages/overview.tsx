// Overview: the page people land on after signing in.
import { useI18n } from "../../i18n";
import { currentUser } from "../../session";
import { useSignal } from "../../signal";

export default function OverviewPage() {
  const t = useI18n();
  const user = useSignal(currentUser);
  return (
    <>
      <h1>{user?.name ? t("overview.welcomeName", { name: user.name }) : t("overview.welcome")}</h1>
      <p>{t("overview.intro")}</p>
    </>
  );
}
