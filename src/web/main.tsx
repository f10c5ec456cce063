// Entry: restore the session from the refresh cookie, then render the page for the
// current path inside the shared layout. Registers the service worker (offline shell).
import { render } from "preact";
import { Boundary } from "./ui/boundary";
import { useEffect } from "preact/hooks";
import { DashboardShell } from "./dashboard/shell";
import { matchSection, redirects } from "./dashboard/sections";
import { focusHeading } from "./focus";
import { Toasts } from "./ui/toast";
import { languages, language, setLanguage, useI18n } from "./i18n";
import { CodeSignInPage } from "./pages/code-sign-in";
import { MagicLinkLandingPage, OAuthResultPage, VerifyEmailLandingPage } from "./pages/landing";
import { EmailRevertPage } from "./pages/email-revert";
import { ForgotPasswordPage, ResetPasswordPage } from "./pages/password-reset";
import { InvitationPage } from "./pages/invitation";
import { PhoneSignUpPage } from "./pages/phone-sign-up";
import { PhoneStepPage } from "./pages/phone-step";
import { phoneStepRedirect } from "./completion";
import { SignInPage } from "./pages/sign-in";
import { TwoStepPage } from "./pages/two-step";
import { ReauthDialog } from "./ui/reauth";
import { SignUpPage } from "./pages/sign-up";
import { ErrorPage, NotFoundPage } from "./pages/status-pages";
import { VerifyPage } from "./pages/verify";
import { location, navigate } from "./router";
import { authState, currentUser, pendingStep, refreshSession, signOut } from "./session";
import { useSignal } from "./signal";
import { useOnline } from "./ui/online";

type Route = { page: () => preact.JSX.Element | null; access: "guest" | "user" | "any" };
const routes: Record<string, Route> = {
  "/sign-in": { page: SignInPage, access: "guest" },
  "/sign-in/code": { page: CodeSignInPage, access: "guest" },
  "/sign-in/two-step": { page: TwoStepPage, access: "guest" },
  "/sign-up": { page: SignUpPage, access: "guest" },
  "/sign-up/phone": { page: PhoneSignUpPage, access: "guest" },
  "/verify": { page: VerifyPage, access: "guest" },
  "/forgot-password": { page: ForgotPasswordPage, access: "any" },
  "/reset-password": { page: ResetPasswordPage, access: "any" },
  "/verify-email": { page: VerifyEmailLandingPage, access: "any" },
  "/sign-in/link": { page: MagicLinkLandingPage, access: "any" },
  "/magic-link": { page: MagicLinkLandingPage, access: "any" },
  "/oauth/done": { page: OAuthResultPage, access: "any" },
  "/oauth/error": { page: OAuthResultPage, access: "any" },
  "/account/phone": { page: PhoneStepPage, access: "user" },
  "/email-change/revert": { page: EmailRevertPage, access: "any" },
  "/invitation": { page: InvitationPage, access: "any" },
  "/error": { page: () => <ErrorPage detail={location.get().query.get("message") ?? undefined} />, access: "any" },
};

function App() {
  const t = useI18n();
  const loc = useSignal(location);
  const auth = useSignal(authState);
  const pending = useSignal(pendingStep);
  const online = useOnline();
  // Dashboard sections (src/web/dashboard/sections.ts) are signed-in pages in the shell.
  const dashboard = matchSection(loc.path) !== null;
  const route: Route | undefined = loc.path === "/" ? undefined : (routes[loc.path] ?? (dashboard ? { page: () => null, access: "user" } : undefined));

  // Guests go to sign-in, signed-in users skip the guest pages.
  // Guest pages render at once (the first paint does not wait for the refresh call);
  // if the refresh then finds a session, the user moves on to the account.
  useEffect(() => {
    if (redirects[loc.path]) return navigate(redirects[loc.path]! + window.location.search, { replace: true });
    if (loc.path === "/") return navigate(auth === "signed-in" ? "/dashboard" : "/sign-in", { replace: true });
    if (auth === "unknown") return;
    // A session that must verify a phone first (phone policy) goes to that step.
    const step = auth === "signed-in" ? phoneStepRedirect(loc.path, window.location.search, pending) : null;
    if (step) navigate(step, { replace: true });
    else if (route?.access === "user" && auth === "signed-out") navigate("/sign-in", { replace: true });
    else if (route?.access === "guest" && auth === "signed-in") navigate("/dashboard", { replace: true });
  }, [auth, loc.path, pending]);

  useEffect(focusHeading);

  const waiting = auth === "unknown" && route?.access === "user";
  const Page = route?.page ?? (loc.path === "/" ? () => null : NotFoundPage);
  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <header class="top">
        <a href="/" class="brand">
          {t("app.name")}
        </a>
        <div class="top-actions">
          <label class="lang">
            <span class="visually-hidden">{t("app.language")}</span>
            <select id="language" value={language.get()} onChange={(e) => setLanguage(e.currentTarget.value)} aria-label={t("app.language")}>
              {languages.map((l) => (
                <option value={l.code} lang={l.code} key={l.code}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          {auth === "signed-in" && !dashboard ? (
            <button type="button" class="secondary" onClick={() => void signOut().then(() => navigate("/sign-in", { replace: true }))}>
              {t("app.signOut")}
            </button>
          ) : null}
        </div>
      </header>
      <ImpersonationBanner />
      {!online ? (
        <div class="offline-banner" role="status">
          {t("app.offline")}
        </div>
      ) : null}
      {dashboard && auth === "signed-in" ? (
        <DashboardShell path={loc.path} />
      ) : (
        <main id="main">
          <Boundary key={loc.path}>{waiting ? <p role="status">{t("app.loading")}</p> : <Page />}</Boundary>
        </main>
      )}
      <Toasts />
      <ReauthDialog />
    </>
  );
}

/**
 * Shown while a platform admin acts as someone else (GET /api/me says impersonatedBy).
 * Ending it is a refresh: the refresh cookie still belongs to the admin.
 */
function ImpersonationBanner() {
  const t = useI18n();
  const user = useSignal(currentUser);
  if (!user?.impersonatedBy) return null;
  const end = () => void refreshSession().then(() => navigate("/admin", { replace: true }));
  return (
    <div class="offline-banner impersonation" role="status">
      {t("admin.impersonating", { who: user.name || user.email || user.id })}{" "}
      <button type="button" class="secondary" onClick={end}>
        {t("admin.endImpersonation")}
      </button>
    </div>
  );
}

render(<App />, document.getElementById("app")!);
void refreshSession().then((ok) => {
  if (!ok && authState.get() === "unknown") authState.set("signed-out");
});

if ("serviceWorker" in navigator) {
  addEventListener("load", () => void navigator.serviceWorker.register("/sw.js").catch(() => undefined));
}
