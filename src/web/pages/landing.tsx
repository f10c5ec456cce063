// Pages that emailed links and OAuth callbacks land on. An emailed link is single-use, so
// it is redeemed only when the person presses the button: mail scanners that open links
// and run JavaScript must not spend it. The token leaves the address bar at once (kept in
// memory only) so it does not linger in history.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiResult } from "../api";
import type { SignInResponse } from "../../contract/auth";
import { verifyEmailToken, verifyMagicLink } from "../flows";
import { problemMessage, t as translate, useI18n } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { forgetRegistration, pendingRegistration } from "../registration";
import { location, navigate } from "../router";
import { afterOAuthSignIn } from "../completion";
import { finishSignIn } from "../mfa-api";
import { pendingStep, refreshSession } from "../session";
import { useSignal } from "../signal";
import { Card } from "../ui/fields";

type Redeem = (token: string) => Promise<ApiResult<SignInResponse>> | string;

function TokenLanding({ titleKey, actionKey, redeem }: { titleKey: MessageKey; actionKey: MessageKey; redeem: Redeem }) {
  const t = useI18n();
  const loc = useSignal(location);
  const token = useRef<string | null>(null);
  const [state, setState] = useState<"ready" | "working" | { error: string }>("ready");
  useEffect(() => {
    token.current = loc.query.get("token");
    history.replaceState(null, "", loc.path);
    if (!token.current) setState({ error: t("landing.missingToken") });
  }, []);

  const attempt = async () => {
    if (!token.current || state === "working") return;
    setState("working");
    const r = redeem(token.current);
    if (typeof r === "string") return setState({ error: r });
    const result = await r;
    if (result.ok) {
      if (await finishSignIn(result.data)) navigate("/dashboard", { replace: true });
    } else if (result.offline) addEventListener("online", () => void attempt(), { once: true });
    else setState({ error: problemMessage(result.problem) });
  };

  if (typeof state === "object") {
    return (
      <Card>
        <h1>{t("landing.failed")}</h1>
        <p role="alert">{state.error}</p>
        <p>{t("landing.failedHint")}</p>
        <a href="/sign-in">{t("signIn.title")}</a>
      </Card>
    );
  }
  return (
    <Card>
      <h1>{t(titleKey)}</h1>
      <p>{t("landing.pressToContinue")}</p>
      <button type="button" class="button primary" onClick={() => void attempt()} disabled={state === "working"} aria-busy={state === "working"}>
        {state === "working" ? t("app.loading") : t(actionKey)}
      </button>
    </Card>
  );
}

function redeemVerification(token: string): Promise<ApiResult<SignInResponse>> | string {
  const registration = pendingRegistration();
  // The link finishes only the registration started in this browser (its registrationToken).
  if (!registration) return translate("landing.otherBrowser");
  return verifyEmailToken(registration.token, token).then((r) => {
    if (r.ok) forgetRegistration();
    return r;
  });
}

export const VerifyEmailLandingPage = () => <TokenLanding titleKey="landing.verifyEmail" actionKey="landing.verifyEmailAction" redeem={redeemVerification} />;
export const MagicLinkLandingPage = () => <TokenLanding titleKey="landing.magicLink" actionKey="landing.magicLinkAction" redeem={verifyMagicLink} />;

/**
 * The Worker's OAuth callback redirects here: /oauth/done?signedIn=1&returnTo=… (the
 * refresh cookie is set) or ?linked=<provider>; failures go to /oauth/error?code=….
 */
export function OAuthResultPage() {
  const t = useI18n();
  const loc = useSignal(location);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const q = loc.query;
    history.replaceState(null, "", loc.path);
    const code = q.get("code") ?? q.get("error");
    if (loc.path === "/oauth/error" || code) return setError(problemMessage({ code: code ?? "generic" }));
    // Two-step verification is on: the callback started no session, the second step comes first.
    const mfaToken = q.get("mfaToken");
    if (q.get("mfaRequired") === "1" && mfaToken)
      return void finishSignIn({ mfaRequired: true, mfaToken, methods: (q.get("methods") ?? "totp").split(",") }, afterOAuthSignIn(q, null));
    void refreshSession().then((ok) => (ok ? navigate(afterOAuthSignIn(q, pendingStep.get()), { replace: true }) : setError(t("landing.failedHint"))));
  }, []);
  return (
    <Card>
      <h1>{error ? t("landing.failed") : t("landing.oauth")}</h1>
      {error ? (
        <>
          <p role="alert">{error}</p>
          <a href="/sign-in">{t("signIn.title")}</a>
        </>
      ) : (
        <p role="status">{t("app.loading")}</p>
      )}
    </Card>
  );
}
