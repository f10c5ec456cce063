// "Reactivate your account?": shown by a sign-in (password or code) that answered 403
// account_deactivated with a reactivationToken; the button switches the account back on.
import { useState } from "preact/hooks";
import type { Problem } from "../api";
import { problemMessage, useI18n } from "../i18n";
import { reactivate } from "../profile-api";
import { navigate } from "../router";
import { finishSignIn } from "../mfa-api";

/** The token a sign-in answer offers, if it is that answer. */
export const reactivationOffer = (problem: Problem | null | undefined): string | null =>
  problem?.code === "account_deactivated" && typeof problem.extensions?.reactivationToken === "string" ? problem.extensions.reactivationToken : null;

export function ReactivatePrompt({ token, onDone }: { token: string; onDone?: () => void }) {
  const t = useI18n();
  const [error, setError] = useState("");
  const confirm = async () => {
    const r = await reactivate(token);
    if (!r.ok) return setError(r.offline ? t("form.offlineAction") : problemMessage(r.problem));
    onDone?.();
    // Like every sign-in: with two-step verification on, the second step comes first.
    if (await finishSignIn(r.data)) navigate("/dashboard", { replace: true });
  };
  return (
    <section class="notice" aria-labelledby="reactivate-title">
      <h2 id="reactivate-title">{t("reactivate.title")}</h2>
      <p>{t("reactivate.body")}</p>
      <button type="button" class="primary" onClick={() => void confirm()}>
        {t("reactivate.submit")}
      </button>
      {error ? <p role="alert">{error}</p> : null}
    </section>
  );
}
