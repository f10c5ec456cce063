// Where to land after a social sign-in: only a path on our own origin (no open
// redirect, OWASP "Unvalidated Redirects"). Refused: absolute URLs, scheme-relative
// `//host`, backslash tricks (`/\host`, which browsers treat as `//host`), control
// characters, and percent-encoded versions of those that a router might decode later.
const MAX_LENGTH = 512;
const SAFE_PATH = /^\/(?![/\\])[^\\\s\p{Cc}]*$/u;
// After decoding, spaces are fine; a leading `//`, backslashes and control characters are not.
const SAFE_DECODED = /^\/(?![/\\])[^\\\p{Cc}]*$/u;

export function safeReturnTo(raw: string | undefined, origin: string): string | null {
  if (raw === undefined || raw === "") return "/";
  if (raw.length > MAX_LENGTH || !SAFE_PATH.test(raw)) return null;
  let decoded = raw;
  try {
    // Twice: `%252F` decodes to `%2F` and then to `/`.
    decoded = decodeURIComponent(decodeURIComponent(raw));
  } catch {
    return null;
  }
  if (!SAFE_DECODED.test(decoded)) return null;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
