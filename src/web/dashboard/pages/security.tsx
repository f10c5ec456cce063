// Security: one card per way the account is protected. To add one (second factors,
// passkeys…), write a card component in ../security/ and add it to `cards` below with a
// feature test, in the order people should read them. Give its Card the `id` the
// Overview's checklist links to (`/settings/security#<id>-title`: mfa, passkeys, phone),
// and render the Card at once (a loading line inside) so the link finds it. Give its Card the `id` the
// Overview's checklist links to (`/settings/security#<id>-title`: mfa, passkeys, phone).
import { useEffect, useState } from "preact/hooks";
import { hasRoute } from "../../api";
import { useI18n } from "../../i18n";
import { MethodsCard } from "../security/methods-card";
import { PasswordCard } from "../security/password-card";
import { PasskeysCard } from "../security/passkeys-card";
import { PhoneCard } from "../security/phone-card";
import { TwoStepCard } from "../security/two-step-card";

type SecurityCard = { id: string; Card: () => preact.JSX.Element | null; when?: () => Promise<boolean> };

const cards: SecurityCard[] = [
  { id: "password", Card: PasswordCard },
  { id: "phone", Card: PhoneCard, when: () => hasRoute("POST", "/api/me/phone") },
  { id: "methods", Card: MethodsCard, when: () => hasRoute("GET", "/api/me/identities") },
  { id: "two-step", Card: TwoStepCard, when: () => hasRoute("GET", "/api/me/mfa") },
  { id: "passkeys", Card: PasskeysCard, when: () => hasRoute("GET", "/api/me/passkeys") },
];

export default function SecurityPage() {
  const t = useI18n();
  const [shown, setShown] = useState<SecurityCard[] | null>(null);
  useEffect(() => {
    void Promise.all(cards.map(async (c) => ((await (c.when?.() ?? true)) ? c : null))).then((list) =>
      setShown(list.filter((c): c is SecurityCard => c !== null)),
    );
  }, []);
  // A link to one card (the Overview's checklist): scroll to it once the cards are there.
  useEffect(() => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (shown && id) document.getElementById(id)?.scrollIntoView();
  }, [shown]);
  return (
    <>
      <h1>{t("nav.security")}</h1>
      {shown ? shown.map(({ id, Card }) => <Card key={id} />) : <p role="status">{t("app.loading")}</p>}
    </>
  );
}
