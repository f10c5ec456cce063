// Entry: restore the session from the refresh cookie, then render the page for the
// current path inside the shared layout. Registers the service worker (offline shell).
import { Component, type ComponentChildren, render } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { languages, language, setLanguage, useI18n } from "./i18n";
import { AccountPage } from "./pages/account";
import { CodeSignInPage } from "./pages/code-sign-in";
import { MagicLinkLandingPage, OAuthResultPage, VerifyEmailLandingPage } from "./pages/landing";
import { ForgotPasswordPage, ResetPasswordPage } from "./pages/password-reset";
import { PhoneSignUpPage } from "./pages/phone-sign-up";
import { PhoneStepPage } from "./pages/phone-step";
import { phoneStepRedirect } from "./completion";
import { SignInPage } from "./pages/sign-in";
import { SignUpPage } from "./pages/sign-up";
import { ErrorPage, NotFoundPage } from "./pages/status-pages";
import { VerifyPage } from "./pages/verify";
import { location, navigate } from "./router";
import { authState, pendingStep, refreshSession, signOut } from "./session";
import { useSignal } from "./signal";
import { useOnline } from "./ui/online";

type Route = { page: () => preact.JSX.Element | null; access: "guest" | "user" | "any" };
const routes: Record<string, Route> = {
  "/sign-in": { page: SignInPage, access: "guest" },
  "/sign-in/code": { page: CodeSignInPage, access: "guest" },
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
  "/account": { page: AccountPage, access: "user" },
  "/account/phone": { page: PhoneStepPage, access: "user" },
  "/error": { page: () => <ErrorPage detail={location.get().query.get("message") ?? undefined} />, access: "any" },
};

function App() {
  const t = useI18n();
  const loc = useSignal(location);
  const auth = useSignal(authState);
  const pending = useSignal(pendingStep);
  const online = useOnline();
  const route = loc.path === "/" ? null : routes[loc.path];

  // Guests go to sign-in, signed-in users skip the guest pages.
  // Guest pages render at once (the first paint does not wait for the refresh call);
  // if the refresh then finds a session, the user moves on to the account.
  useEffect(() => {
    if (loc.path === "/") return navigate(auth === "signed-in" ? "/account" : "/sign-in", { replace: true });
    if (auth === "unknown") return;
    // A session that must verify a phone first (phone policy) goes to that step.
    const step = auth === "signed-in" ? phoneStepRedirect(loc.path, window.location.search, pending) : null;
    if (step) navigate(step, { replace: true });
    else if (route?.access === "user" && auth === "signed-out") navigate("/sign-in", { replace: true });
    else if (route?.access === "guest" && auth === "signed-in") navigate("/account", { replace: true });
  }, [auth, loc.path, pending]);

  // After an in-app navigation, move focus to the new page's heading so screen readers
  // announce it (a full page load is announced by the browser; focus stays at the top).
  const announced = useRef(loc.path);
  useEffect(() => {
    const h1 = document.querySelector<HTMLElement>("main h1");
    document.title = `${h1?.textContent ?? ""} · ${t("app.name")}`;
    if (h1 && announced.current !== loc.path && !h1.contains(document.activeElement)) {
      announced.current = loc.path;
      h1.tabIndex = -1;
      h1.focus({ preventScroll: true });
    }
  });

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
          {auth === "signed-in" ? (
            <button type="button" class="secondary" onClick={() => void signOut().then(() => navigate("/sign-in", { replace: true }))}>
              {t("app.signOut")}
            </button>
          ) : null}
        </div>
      </header>
      {!online ? (
        <div class="offline-banner" role="status">
          {t("app.offline")}
        </div>
      ) : null}
      <main id="main">
        <Boundary key={loc.path}>{waiting ? <p role="status">{t("app.loading")}</p> : <Page />}</Boundary>
      </main>
    </>
  );
}

class Boundary extends Component<{ children: ComponentChildren }, { error?: string }> {
  override state: { error?: string } = {};
  override componentDidCatch(error: unknown) {
    console.error(error);
    this.setState({ error: error instanceof Error ? error.message : String(error) });
  }
  override render() {
    return this.state.error ? <ErrorPage /> : this.props.children;
  }
}

render(<App />, document.getElementById("app")!);
void refreshSession().then((ok) => {
  if (!ok && authState.get() === "unknown") authState.set("signed-out");
});

if ("serviceWorker" in navigator) {
  addEventListener("load", () => void navigator.serviceWorker.register("/sw.js").catch(() => undefined));
}
