// History-API routing: the Worker's assets serve index.html for every unknown path
// (SPA fallback), and this maps the path to a page. Same-origin <a> clicks are intercepted.
import { signal } from "./signal";

export const location = signal(readLocation());

function readLocation() {
  return { path: window.location.pathname.replace(/\/+$/, "") || "/", query: new URLSearchParams(window.location.search) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  location.set(readLocation());
  window.scrollTo(0, 0);
}

addEventListener("popstate", () => location.set(readLocation()));

document.addEventListener("click", (e) => {
  const a = (e.target as Element | null)?.closest?.("a");
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target || a.hasAttribute("download") || a.dataset.external !== undefined) return;
  const url = new URL(a.href, window.location.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith("/api/")) return;
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});
