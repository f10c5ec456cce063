// Organizations: a placeholder so the section has its slot. It only shows once
// GET /api/orgs exists (sections.ts); the organizations feature (issue 14) replaces it.
import { useI18n } from "../../i18n";
import type { PageProps } from "../sections";

export default function OrgsPage(_: PageProps) {
  const t = useI18n();
  return <h1>{t("nav.orgs")}</h1>;
}
