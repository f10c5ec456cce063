// The phone policy in the SPA (README "Social sign-in", phone policy): a session the
// server marked `pending: "phone"` can do nothing but verify a phone, so every page
// except the phone step (and the OAuth landing pages that lead there) sends the user to
// it, remembering where they were going. Pure functions: unit-tested under Node.
export const PHONE_STEP_PATH = "/account/phone";

// Pages a pending session may stay on: the step itself, and landings still finishing.
const ALLOWED_WHILE_PENDING = new Set([PHONE_STEP_PATH, "/oauth/done", "/oauth/error", "/error"]);

// Signed-in pages (the dashboard's sections and the old /account) are worth returning to.
const SIGNED_IN_PREFIXES = ["/dashboard", "/profile", "/settings", "/activity", "/orgs", "/admin", "/account"];
const isSignedInPage = (path: string) => SIGNED_IN_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

/** A same-site path only ("/dashboard"), never "//evil", "/\evil" or a full URL. */
export function safePath(p: string | null | undefined, fallback = "/dashboard"): string {
  return p?.startsWith("/") && !p.startsWith("//") && !p.startsWith("/\\") && !/[\u0000-\u001f]/.test(p) ? p : fallback;
}

/** Where a page must send the user instead of rendering, or null to render it. */
export function phoneStepRedirect(path: string, search: string, pending: string | null): string | null {
  if (pending !== "phone" || ALLOWED_WHILE_PENDING.has(path)) return null;
  // Only signed-in pages are worth returning to; guest pages and "/" mean the dashboard.
  const back = isSignedInPage(path) ? safePath(path + search) : "/dashboard";
  return phoneStepUrl(back);
}

export const phoneStepUrl = (returnTo: string) => `${PHONE_STEP_PATH}?returnTo=${encodeURIComponent(safePath(returnTo))}`;

/**
 * After /oauth/done: the phone step when the callback said so (or the refreshed session
 * is pending), else the safe returnTo.
 */
export function afterOAuthSignIn(query: URLSearchParams, pending: string | null): string {
  const returnTo = safePath(query.get("returnTo"));
  return query.get("phoneVerificationRequired") === "1" || pending === "phone" ? phoneStepUrl(returnTo) : returnTo;
}
