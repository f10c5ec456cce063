// The second step of a sign-in: the first factor answered {mfaRequired}. A code from the
// authenticator app (submitted as soon as six digits are in), or a recovery code, or a
// passkey. Five answers, then the server ends the attempt and the sign-in starts again.
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../i18n";
import { passkeyAssertion, passkeysSupported, pendingChallenge, verifySecondStep } from "../mfa-api";
import { navigate } from "../router";
import { acceptTokens } from "../session";
import { useSignal } from "../signal";
import { Card, FormStatus, submitWith, TextField } from "../ui/fields";
import { OtpInput } from "../ui/otp-input";

export function TwoStepPage() {
  const t = useI18n();
  const challenge = useSignal(pendingChallenge);
  const [mode, setMode] = useState<"code" | "recovery">("code");
  const [value, setValue] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!challenge) navigate("/sign-in", { replace: true });
  }, [challenge]);
  if (!challenge) return null;

  const answer = async (body: { code: string } | { recoveryCode: string } | { passkey: unknown }) => {
    if (busy) return;
    setBusy(true);
    const r = await verifySecondStep(challenge.mfaToken, body);
    setBusy(false);
    setValue("");
    if (r.ok) {
      pendingChallenge.set(null);
      await acceptTokens(r.data);
      navigate(challenge.returnTo, { replace: true });
      return;
    }
    if (!r.offline && r.problem.code === "mfa_token_invalid") {
      pendingChallenge.set(null);
      navigate("/sign-in?expired=1", { replace: true });
      return;
    }
    setError(r.offline ? t("app.offline") : t(r.problem.code === "sign_in_throttled" ? "twoStep.throttled" : "twoStep.wrong"));
  };
  const usePasskey = async () => {
    const passkey = await passkeyAssertion(challenge.mfaToken);
    if (passkey) await answer({ passkey });
    else setError(t("passkeys.cancelled"));
  };

  return (
    <Card>
      <h1>{t("twoStep.title")}</h1>
      <form noValidate onSubmit={submitWith(() => answer(mode === "code" ? { code: value } : { recoveryCode: value }))}>
        {mode === "code" ? (
          <>
            <p>{t("twoStep.enterCode")}</p>
            <OtpInput id="two-step-code" value={value} onValue={setValue} onComplete={(code) => void answer({ code })} />
          </>
        ) : (
          <TextField
            id="recovery-code"
            label={t("twoStep.recoveryCode")}
            autocomplete="off"
            spellcheck={false}
            autocapitalize="off"
            value={value}
            onValue={setValue}
          />
        )}
        <FormStatus status={error ? "error" : busy ? "loading" : "idle"} message={error} />
        <button type="submit" class="primary" aria-busy={busy ? "true" : undefined}>
          {t("twoStep.verify")}
        </button>
      </form>
      <div class="stack">
        <button
          type="button"
          class="link"
          onClick={() => {
            setMode(mode === "code" ? "recovery" : "code");
            setValue("");
            setError("");
          }}
        >
          {mode === "code" ? t("twoStep.useRecovery") : t("twoStep.useCode")}
        </button>
        {challenge.methods.includes("passkey") && passkeysSupported() ? (
          <button type="button" class="secondary" onClick={() => void usePasskey()}>
            {t("twoStep.usePasskey")}
          </button>
        ) : null}
      </div>
    </Card>
  );
}
