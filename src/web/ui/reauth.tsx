// The re-authentication dialog: a sensitive change answered 403 reauthentication_required,
// so the person confirms who they are (password, or an authenticator-app code) and the
// change is tried once more. `withReauth(call)` wraps any API call that may need it.
import { useState } from "preact/hooks";
import type { ApiResult } from "../api";
import { useI18n } from "../i18n";
import { reauthenticate } from "../mfa-api";
import { signal, useSignal } from "../signal";
import { FormStatus, PasswordField, Submit, TextField } from "./fields";

const request = signal<((ok: boolean) => void) | null>(null);

/** Runs `call`; on 403 reauthentication_required asks the person to confirm, then runs it again. */
export async function withReauth<R extends ApiResult<unknown> | { ok: false; cancelled: true }>(call: () => Promise<R>): Promise<R> {
  const first = await call();
  if (!("problem" in first) || first.problem.code !== "reauthentication_required") return first;
  const confirmed = await new Promise<boolean>((resolve) => request.set(resolve));
  return confirmed ? call() : first;
}

export function ReauthDialog() {
  const t = useI18n();
  const resolve = useSignal(request);
  const [secret, setSecret] = useState("");
  const [useCode, setUseCode] = useState(false);
  const [status, setStatus] = useState<"idle" | "loading" | "error">("idle");
  if (!resolve) return null;
  const close = (ok: boolean) => {
    request.set(null);
    setSecret("");
    setStatus("idle");
    resolve(ok);
  };
  return (
    <div class="dialog-backdrop" role="dialog" aria-modal="true" aria-labelledby="reauth-title">
      <form
        class="card dialog"
        onSubmit={async (e) => {
          e.preventDefault();
          setStatus("loading");
          const r = await reauthenticate(useCode ? { totp: secret } : { password: secret });
          if (r.ok) close(true);
          else setStatus("error");
        }}
      >
        <h2 id="reauth-title">{t("reauth.title")}</h2>
        <p>{t("reauth.why")}</p>
        {useCode ? (
          <TextField id="reauth-code" label={t("field.code")} autocomplete="one-time-code" value={secret} onValue={setSecret} />
        ) : (
          <PasswordField id="reauth-password" label={t("field.password")} autocomplete="current-password" value={secret} onValue={setSecret} />
        )}
        <FormStatus status={status === "error" ? "error" : "idle"} message={status === "error" ? t("reauth.failed") : ""} />
        <button
          type="button"
          class="link"
          onClick={() => {
            setUseCode(!useCode);
            setSecret("");
          }}
        >
          {useCode ? t("reauth.usePassword") : t("reauth.useCode")}
        </button>
        <div class="row">
          <Submit status={status === "loading" ? "loading" : "idle"}>{t("reauth.confirm")}</Submit>
          <button type="button" class="secondary" onClick={() => close(false)}>
            {t("reauth.cancel")}
          </button>
        </div>
      </form>
    </div>
  );
}
