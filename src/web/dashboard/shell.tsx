// The signed-in layout: a sidebar (who is signed in, the sections this deployment and
// this user have, sign-out) and the page of the current section, loaded on first visit.
// Under 768 px the sidebar becomes a menu behind a button; open/closed is remembered.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { focusHeading } from "../focus";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { currentUser, signOut, type User } from "../session";
import { useSignal } from "../signal";
import { ErrorPage, ForbiddenPage, NotFoundPage } from "../pages/status-pages";
import { Boundary } from "../ui/boundary";
import { Icon } from "./icons";
import { OrgSwitcher } from "./org-switcher";
import { availableSections, matchSection, type PageModule, type Section, sections } from "./sections";

const MENU_KEY = "edge-auth.menu";
const narrow = () => matchMedia("(max-width: 767.98px)").matches;

function readMenu(): boolean {
  try {
    return localStorage.getItem(MENU_KEY) === "open";
  } catch {
    return false;
  }
}
function saveMenu(open: boolean): void {
  try {
    localStorage.setItem(MENU_KEY, open ? "open" : "closed");
  } catch {
    /* private mode: the state lasts for this page only */
  }
}

export function DashboardShell({ path, children }: { path: string; children?: ComponentChildren }) {
  const t = useI18n();
  const user = useSignal(currentUser);
  const [available, setAvailable] = useState<Set<string> | null>(null);
  const [open, setOpen] = useState(readMenu);
  useEffect(() => void availableSections().then(setAvailable), []);
  if (!user) return null;

  const visible = available ? sections.filter((s) => available.has(s.id) && (s.allowed?.(user) ?? true)) : [];
  const match = matchSection(path);
  const toggle = () => {
    saveMenu(!open);
    setOpen(!open);
  };

  let page: ComponentChildren;
  if (children) page = children;
  else if (!available) page = <p role="status">{t("app.loading")}</p>;
  else if (!match || !available.has(match.section.id)) page = <NotFoundPage />;
  else if (!(match.section.allowed?.(user) ?? true)) page = <ForbiddenPage />;
  else page = <LazyPage key={match.section.id} section={match.section} subpath={match.subpath} />;

  return (
    <div class="dash">
      <div class="dash-side">
        <button type="button" class="menu-toggle secondary" aria-expanded={open ? "true" : "false"} aria-controls="dash-nav" onClick={toggle}>
          <Icon name="menu" /> {t("nav.menu")}
        </button>
        <nav id="dash-nav" class={open ? "open" : ""} aria-label={t("nav.label")}>
          <div class="who">
            <Avatar user={user} />
            <span class="who-name">{user.name || user.email || ""}</span>
          </div>
          {available?.has("orgs") ? <OrgSwitcher /> : null}
          <ul>
            {visible.map((s) => (
              <li key={s.id}>
                <a
                  href={s.path}
                  aria-current={match?.section.id === s.id ? "page" : undefined}
                  onClick={() => {
                    // On a phone the menu covers the page: close it once a page is chosen.
                    if (narrow() && open) toggle();
                  }}
                >
                  <Icon name={s.icon} /> {t(s.label)}
                </a>
              </li>
            ))}
          </ul>
          <button type="button" class="secondary sign-out" onClick={() => void signOut().then(() => navigate("/sign-in", { replace: true }))}>
            <Icon name="out" /> {t("app.signOut")}
          </button>
        </nav>
      </div>
      <main id="main">
        <Boundary key={path}>{page}</Boundary>
      </main>
    </div>
  );
}

/** The avatar image (same origin only: the CSP allows img-src 'self') or the initials. */
function Avatar({ user }: { user: User }) {
  const source = user.name || user.email || "?";
  const initials = source.includes("@")
    ? source[0]!
    : source
        .split(/\s+/)
        .map((w) => [...w][0] ?? "")
        .slice(0, 2)
        .join("");
  if (typeof user.avatarUrl === "string" && user.avatarUrl.startsWith("/") && !user.avatarUrl.startsWith("//")) {
    return <img class="avatar" src={user.avatarUrl} alt="" width={40} height={40} />;
  }
  return (
    <span class="avatar" aria-hidden="true">
      {initials.toUpperCase()}
    </span>
  );
}

// Loaded page modules, kept for the rest of the visit (each is one chunk, fetched once).
const loaded = new Map<string, PageModule>();

function LazyPage({ section, subpath }: { section: Section; subpath: string }) {
  const t = useI18n();
  const [mod, setMod] = useState(() => loaded.get(section.id));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (mod) return;
    section.load().then(
      (m) => {
        loaded.set(section.id, m);
        setMod(m);
      },
      () => setFailed(true), // offline before the chunk was cached, or a deploy removed it
    );
  }, []);
  useEffect(() => {
    if (mod) focusHeading();
  }, [mod, subpath]);
  if (failed) return <ErrorPage />;
  if (!mod) return <p role="status">{t("app.loading")}</p>;
  const Page = mod.default;
  return <Page subpath={subpath} />;
}
