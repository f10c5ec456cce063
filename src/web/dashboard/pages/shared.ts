// Small helpers the dashboard pages share.
import type { ApiResult } from "../../api";
import { problemMessage, t } from "../../i18n";

export const place = (x: { city?: string | null; country?: string | null }) => [x.city, x.country].filter(Boolean).join(", ");

/** The message for a failed button action ("" when it worked), shown next to the button. */
export const actionError = (r: ApiResult<unknown>) => (r.ok ? "" : r.offline ? t("form.offlineAction") : problemMessage(r.problem));
