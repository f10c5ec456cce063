// Profile: the picture, the details (name, username, language, time zone), the email,
// notices, a download of the account's data and the danger zone. Each card shows only
// when this deployment has its API (hasRoute), like the Security page's cards.
import { useEffect, useState } from "preact/hooks";
import { hasRoute } from "../../api";
import { useI18n } from "../../i18n";
import { AvatarCard } from "../profile/avatar-card";
import { DangerCard } from "../profile/danger-card";
import { DataCard } from "../profile/data-card";
import { DetailsCard } from "../profile/details-card";
import { EmailCard } from "../profile/email-card";
import { NoticesCard } from "../profile/notices-card";
import { SummaryCard } from "../profile/summary-card";

type ProfileCard = { id: string; Card: () => preact.JSX.Element | null; when?: () => Promise<boolean> };

const cards: ProfileCard[] = [
  { id: "summary", Card: SummaryCard },
  { id: "avatar", Card: AvatarCard, when: () => hasRoute("PUT", "/api/me/avatar") },
  { id: "details", Card: DetailsCard, when: () => hasRoute("PATCH", "/api/me") },
  { id: "email", Card: EmailCard, when: () => hasRoute("POST", "/api/me/email") },
  { id: "notices", Card: NoticesCard, when: () => hasRoute("GET", "/api/me/preferences") },
  { id: "data", Card: DataCard, when: () => hasRoute("GET", "/api/me/export") },
  { id: "danger", Card: DangerCard, when: () => hasRoute("POST", "/api/me/deactivate") },
];

export default function ProfilePage() {
  const t = useI18n();
  const [shown, setShown] = useState<ProfileCard[] | null>(null);
  useEffect(() => {
    void Promise.all(cards.map(async (c) => ((await (c.when?.() ?? true)) ? c : null))).then((list) =>
      setShown(list.filter((c): c is ProfileCard => c !== null)),
    );
  }, []);
  return (
    <>
      <h1>{t("nav.profile")}</h1>
      {shown ? shown.map(({ id, Card }) => <Card key={id} />) : <p role="status">{t("app.loading")}</p>}
    </>
  );
}
