// Leaving: deactivate (two clicks), or delete (typed confirmation). Both end every
// session, so the app signs out and says why. A scheduled deletion shows with "keep".
import { useState } from "preact/hooks";
import { formatDate, useI18n } from "../../i18n";
import { cancelDeletion, deactivateAccount, scheduleDeletion } from "../../profile-api";
import { navigate } from "../../router";
import { currentUser, signOut } from "../../session";
import { useSignal } from "../../signal";
import { ActionError, Card } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { actionError } from "../pages/shared";

export function DangerCard() {
  const t = useI18n();
  const user = useSignal(currentUser);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState("");
  if (!user) return null;
  const word = t("profile.deleteWord");

  // The server ended every session, this one too: sign out here (clears the cookie) and say why.
  const leave = async (message: string) => {
    await signOut();
    toast(message);
    navigate("/sign-in", { replace: true });
  };
  const deactivate = async () => {
    const r = await deactivateAccount();
    if (!r.ok) return setError(actionError(r));
    await leave(t("profile.signedOutAfter"));
  };
  const remove = async () => {
    if (typed.trim() !== word) return;
    const r = await scheduleDeletion();
    if (!r.ok) return setError(actionError(r));
    await leave(t("profile.deletionScheduled", { date: formatDate(r.data.deletionScheduledAt) }));
  };
  const keep = async () => {
    const r = await cancelDeletion();
    if (!r.ok) return setError(actionError(r));
    currentUser.set({ ...user, deletionScheduledAt: null });
    toast(t("profile.deletionCancelled"));
  };

  return (
    <Card title={t("profile.danger")} id="danger">
      {user.deletionScheduledAt ? (
        <div class="notice" role="status">
          <p>{t("profile.deletionScheduled", { date: formatDate(user.deletionScheduledAt) })}</p>
          <button type="button" class="primary" onClick={() => void keep()}>
            {t("profile.cancelDeletion")}
          </button>
        </div>
      ) : null}
      <p>{t("profile.deactivateHint")}</p>
      {confirming ? (
        <button type="button" class="danger" onClick={() => void deactivate()}>
          {t("profile.deactivateConfirm")}
        </button>
      ) : (
        <button type="button" class="secondary" onClick={() => setConfirming(true)}>
          {t("profile.deactivate")}
        </button>
      )}
      {user.deletionScheduledAt ? null : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void remove();
          }}
        >
          <p>{t("profile.deleteHint")}</p>
          <div class="field">
            <label for="delete-confirm">{t("profile.deleteTypeLabel", { word })}</label>
            <input id="delete-confirm" autocomplete="off" spellcheck={false} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          </div>
          <button type="submit" class="danger" disabled={typed.trim() !== word}>
            {t("profile.delete")}
          </button>
        </form>
      )}
      <ActionError message={error} />
    </Card>
  );
}
