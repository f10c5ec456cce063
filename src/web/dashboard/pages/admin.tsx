// Admin: a placeholder so the section has its slot. It only shows once
// GET /api/admin/users exists and GET /api/me says isPlatformAdmin (sections.ts); the
// organizations feature (issue 14) replaces it.
import { useI18n } from "../../i18n";
import type { PageProps } from "../sections";

export default function AdminPage(_: PageProps) {
  const t = useI18n();
  return <h1>{t("nav.admin")}</h1>;
}
