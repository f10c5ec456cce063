// The dashboard's sections: ONE list that drives the sidebar, the routes and the lazy
// page chunks. To add a page, add an entry here (see README.md in this folder).
//   path    the route; "/orgs" also matches "/orgs/anything" (the page gets the rest)
//   label   the message key for the sidebar link (src/web/i18n/en/dashboard.ts and es/dashboard.ts)
//   icon    a name from ./icons.tsx
//   when    the feature exists on this deployment: ask the API (hasRoute) so a page
//           never shows before its routes have landed. false -> not in the menu, 404.
//   allowed the signed-in user may see it (e.g. platform admins). false -> 403.
//   load    the page module, imported on first visit (its own chunk, not in app.js)
import { hasRoute } from "../api";
import type { MessageKey } from "../i18n/en";
import type { User } from "../session";
import type { IconName } from "./icons";

export type PageProps = { /** The path below the section's path: "" or "/abc/members". */ subpath: string };
export type PageModule = { default: (props: PageProps) => preact.JSX.Element | null };
export type Section = {
  id: string;
  path: string;
  label: MessageKey;
  icon: IconName;
  when?: () => Promise<boolean>;
  allowed?: (user: User) => boolean;
  load: () => Promise<PageModule>;
};

export const sections: Section[] = [
  { id: "overview", path: "/dashboard", label: "nav.overview", icon: "home", load: () => import("./pages/overview") },
  { id: "profile", path: "/profile", label: "nav.profile", icon: "user", load: () => import("./pages/profile") },
  { id: "security", path: "/settings/security", label: "nav.security", icon: "shield", load: () => import("./pages/security") },
  {
    id: "sessions",
    path: "/settings/sessions",
    label: "nav.sessions",
    icon: "devices",
    when: () => hasRoute("GET", "/api/me/sessions"),
    load: () => import("./pages/sessions"),
  },
  {
    id: "activity",
    path: "/activity",
    label: "nav.activity",
    icon: "list",
    when: () => hasRoute("GET", "/api/me/activity"),
    load: () => import("./pages/activity"),
  },
  // Organizations and Admin (README "Organizations", "Admin").
  { id: "orgs", path: "/orgs", label: "nav.orgs", icon: "building", when: () => hasRoute("GET", "/api/orgs"), load: () => import("./pages/orgs") },
  {
    id: "admin",
    path: "/admin",
    label: "nav.admin",
    icon: "key",
    when: () => hasRoute("GET", "/api/admin/users"),
    // GET /api/me says whether this user is a platform admin (users.is_platform_admin).
    allowed: (user) => user.isPlatformAdmin === true,
    load: () => import("./pages/admin"),
  },
];

/** Old and short addresses that lead into the dashboard. */
export const redirects: Record<string, string> = { "/account": "/dashboard", "/settings": "/settings/security" };

/** The section a path belongs to, and the rest of the path below it. */
export function matchSection(path: string): { section: Section; subpath: string } | null {
  for (const section of sections) {
    if (path === section.path || path.startsWith(`${section.path}/`)) return { section, subpath: path.slice(section.path.length) };
  }
  return null;
}

// Whether each section's feature exists: asked once per page load (hasRoute reads one
// cached OpenAPI document), so the menu does not flicker between pages.
let available: Promise<Set<string>> | undefined;
export function availableSections(): Promise<Set<string>> {
  available ??= Promise.all(sections.map(async (s) => ((await (s.when?.() ?? true)) ? s.id : null))).then(
    (ids) => new Set(ids.filter((x): x is string => x !== null)),
  );
  return available;
}
