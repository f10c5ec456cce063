// The profile picture: pick a file, see it before sending, watch the upload, or remove it.
// Type and size are checked here first; the server checks the bytes themselves.
import { useState } from "preact/hooks";
import { problemMessage, useI18n } from "../../i18n";
import { AVATAR_MAX_BYTES, AVATAR_TYPES, removeAvatar, uploadAvatar } from "../../profile-api";
import { currentUser } from "../../session";
import { useSignal } from "../../signal";
import { ActionError, Card } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { actionError } from "../pages/shared";

export function AvatarCard() {
  const t = useI18n();
  const user = useSignal(currentUser);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState("");
  if (!user) return null;

  const choose = (picked: File | undefined) => {
    setError("");
    setFile(null);
    setPreview(null);
    if (!picked) return;
    if (!AVATAR_TYPES.includes(picked.type)) return setError(t("profile.badType"));
    if (picked.size > AVATAR_MAX_BYTES) return setError(t("profile.tooBig"));
    setFile(picked);
    // A data: URL (the CSP allows img-src 'self' data:), read locally: nothing is sent yet.
    const reader = new FileReader();
    reader.onload = () => setPreview(typeof reader.result === "string" ? reader.result : null);
    reader.readAsDataURL(picked);
  };

  const upload = async () => {
    if (!file || progress !== null) return;
    setError("");
    setProgress(0);
    const r = await uploadAvatar(file, setProgress);
    setProgress(null);
    if (!r.ok) return setError(r.offline ? actionError(r) : problemMessage(r.problem));
    currentUser.set({ ...user, avatarUrl: r.data.avatarUrl });
    setFile(null);
    setPreview(null);
    toast(t("profile.avatarSaved"));
  };

  const remove = async () => {
    const r = await removeAvatar();
    if (!r.ok) return setError(actionError(r));
    currentUser.set({ ...user, avatarUrl: null });
    toast(t("profile.avatarRemoved"));
  };

  const shown = preview ?? (user.avatarUrl?.startsWith("/") ? user.avatarUrl : null);
  return (
    <Card title={t("profile.avatar")} id="avatar">
      <div class="avatar-row">
        {shown ? (
          <img class="avatar large" src={shown} alt={preview ? t("profile.preview") : ""} width={96} height={96} />
        ) : (
          <span class="avatar large" aria-hidden="true">
            {initials(user.name || user.email || "?")}
          </span>
        )}
        <div class="field">
          <label for="avatar-file">{t("profile.chooseImage")}</label>
          <input
            id="avatar-file"
            type="file"
            accept={AVATAR_TYPES.join(",")}
            aria-describedby="avatar-hint"
            onChange={(e) => choose(e.currentTarget.files?.[0])}
          />
          <div class="hint" id="avatar-hint">
            {t("profile.avatarHint")}
          </div>
        </div>
      </div>
      {progress !== null ? (
        <p role="status">
          <progress max={1} value={progress} aria-label={t("profile.uploading", { percent: String(Math.round(progress * 100)) })} />{" "}
          {t("profile.uploading", { percent: String(Math.round(progress * 100)) })}
        </p>
      ) : null}
      <ActionError message={error} />
      <div class="stack">
        {file ? (
          <button type="button" class="primary" onClick={() => void upload()} aria-busy={progress !== null ? "true" : undefined}>
            {t("profile.upload")}
          </button>
        ) : null}
        {user.avatarUrl && !file ? (
          <button type="button" class="secondary" onClick={() => void remove()}>
            {t("profile.removeAvatar")}
          </button>
        ) : null}
      </div>
    </Card>
  );
}

const initials = (source: string) =>
  (source.includes("@")
    ? source[0]!
    : source
        .split(/\s+/)
        .map((w) => [...w][0] ?? "")
        .slice(0, 2)
        .join("")
  ).toUpperCase();
