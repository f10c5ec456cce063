// 404, 403 and the generic error page (also the error boundary's fallback).
import { useI18n } from "../i18n";
import { Card } from "../ui/fields";

export function NotFoundPage() {
  const t = useI18n();
  return (
    <Card>
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.body")}</p>
      <a class="button primary" href="/">
        {t("notFound.home")}
      </a>
    </Card>
  );
}

export function ForbiddenPage() {
  const t = useI18n();
  return (
    <Card>
      <h1>{t("forbidden.title")}</h1>
      <p>{t("forbidden.body")}</p>
      <a class="button primary" href="/dashboard">
        {t("forbidden.home")}
      </a>
    </Card>
  );
}

export function ErrorPage({ detail }: { detail?: string }) {
  const t = useI18n();
  return (
    <Card>
      <h1>{t("error.title")}</h1>
      <p role="alert">{detail || t("error.body")}</p>
      <button type="button" class="primary" onClick={() => window.location.reload()}>
        {t("error.retry")}
      </button>
    </Card>
  );
}
