// The link the OLD address gets after an email change: undo it. A click, not a page
// load, spends the link (mail scanners open links; they must not revert anything).
import { useState } from "preact/hooks";
import { problemMessage, useI18n } from "../i18n";
import { revertEmailChange } from "../profile-api";
import { location } from "../router";
import { forgetSession } from "../session";
import { useSignal } from "../signal";
import { Card } from "../ui/fields";

export function EmailRevertPage() {
  const t = useI18n();
  const loc = useSignal(location);
  // Kept in memory only: the address bar loses the token at once.
  const [token] = useState(() => {
    const value = loc.query.get("token");
    history.replaceState(null, "", loc.path);
    return value;
  });
  const [state, setState] = useState<"idle" | "busy" | "done">("idle");
  const [error, setError] = useState(token ? "" : t("landing.missingToken"));
  const revert = async () => {
    if (!token || state !== "idle") return;
    setState("busy");
    const r = await revertEmailChange(token);
    if (!r.ok) {
      setState("idle");
      return setError(r.offline ? t("form.offlineAction") : problemMessage(r.problem));
    }
    forgetSession(); // every session of the account just ended, this one too
    setState("done");
  };
  return (
    <Card>
      <h1>{t("revert.title")}</h1>
      {state === "done" ? (
        <>
          <p role="status">{t("revert.done")}</p>
          <a href="/sign-in">{t("signIn.title")}</a>
        </>
      ) : (
        <>
          <p>{t("revert.body")}</p>
          {error ? <p role="alert">{error}</p> : null}
          {token ? (
            <button type="button" class="primary" aria-busy={state === "busy" ? "true" : undefined} onClick={() => void revert()}>
              {t("revert.submit")}
            </button>
          ) : null}
        </>
      )}
    </Card>
  );
}
