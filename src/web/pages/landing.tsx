// Pages that emailed links and OAuth callbacks land on: redeem the token once, then go
// to the account (or show why not). The token is removed from the address bar at once so
// it does not linger in history.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiResult } from "../api";
import { type Tokens, verifyEmailToken, verifyMagicLink } from "../flows";
import { problemMessage, useI18n } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { location, navigate } from "../router";
import { afterOAuthSignIn } from "../completion";
import { acceptTokens, pendingStep, refreshSession } from "../session";
import { useSignal } from "../signal";
import { Card } from "../ui/fields";

function TokenLanding({ titleKey, redeem }: { titleKey: MessageKey; redeem: (token: string) => Promise<ApiResult<Tokens>> }) {
  const t = useI18n();
  const loc = useSignal(location);
  const started = useRef(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = loc.query.get("token");
    history.replaceState(null, "", loc.path);
    if (!token) return setError(t("landing.missingToken"));
    const attempt = async () => {
      const r = await redeem(token);
      if (r.ok) {
        await acceptTokens(r.data);
        navigate("/dashboard", { replace: true });
      } else if (r.offline) addEventListener("online", () => void attempt(), { once: true });
      else setError(problemMessage(r.problem));
    };
    void attempt();
  }, []);
  return (
    <Card>
      {error ? (
        <>
          <h1>{t("landing.failed")}</h1>
          <p role="alert">{error}</p>
          <p>{t("landing.failedHint")}</p>
          <a href="/sign-in">{t("signIn.title")}</a>
        </>
      ) : (
        <>
          <h1>{t(titleKey)}</h1>
          <p role="status" class="spinner">
            {t("app.loading")}
          </p>
        </>
      )}
    </Card>
  );
}

export const VerifyEmailLandingPage = () => <TokenLanding titleKey="landing.verifyEmail" redeem={verifyEmailToken} />;
export const MagicLinkLandingPage = () => <TokenLanding titleKey="landing.magicLink" redeem={verifyMagicLink} />;


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
