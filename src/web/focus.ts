// After an in-app navigation, focus moves to the new page's heading so screen readers
// announce it (a full page load is announced by the browser; focus stays at the top).
// Called after every render of the app and once a lazily loaded page has mounted.
import { t } from "./i18n";
import { location } from "./router";

let announced = location.get().path;

export function focusHeading(): void {
  const path = location.get().path;
  const h1 = document.querySelector<HTMLElement>("main h1");
  document.title = `${h1?.textContent ?? ""} · ${t("app.name")}`;
  if (h1 && announced !== path && !h1.contains(document.activeElement)) {
    announced = path;
    h1.tabIndex = -1;
    h1.focus({ preventScroll: true });
  }
}
