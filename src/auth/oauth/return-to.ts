// Where to land after a social sign-in: only a path on our own origin (no open
// redirect, OWASP "Unvalidated Redirects"). Refused: absolute URLs, scheme-relative
// `//host`, backslash tricks (`/\host`, which browsers treat as `//host`), control
// characters, and percent-encoded versions of those that a router might decode later.
// The value is judged AFTER normalisation too: the URL parser resolves dot segments, so
// `/.//evil.example`, `/a/..//evil.example` and `/%2e//evil.example` all become
// `//evil.example`, which a browser reads as another host.
const MAX_LENGTH = 512;
const SAFE_PATH = /^\/(?![/\\])[^\\\s\p{Cc}]*$/u;
// After decoding, spaces are fine; a leading `//`, backslashes, control and format
// characters (bidi overrides) and line/paragraph separators are not.
const SAFE_DECODED = /^\/(?![/\\])[^\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

export function safeReturnTo(raw: string | undefined, origin: string): string | null {
  if (raw === undefined || raw === "") return "/";
  if (raw.length > MAX_LENGTH || !isSamePath(raw, origin)) return null;
  const url = parse(raw, origin);
  if (!url || url.origin !== origin) return null;
  const normalised = `${url.pathname}${url.search}${url.hash}`;
  return isSamePath(normalised, origin) ? normalised : null;
}

/**
 * A path on `origin` as written, once decoded (twice: `%252F` becomes `%2F`, then `/`),
 * and once either form is resolved the way a browser or router would resolve it.
 */
function isSamePath(value: string, origin: string): boolean {
  if (!SAFE_PATH.test(value)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(decodeURIComponent(value));
  } catch {
    return false;
  }
  if (!SAFE_DECODED.test(decoded)) return false;
  return [value, decoded].every((form) => {
    const url = parse(form, origin);
    return url !== null && url.origin === origin && SAFE_DECODED.test(url.pathname);
  });
}

function parse(value: string, origin: string): URL | null {
  try {
    return new URL(value, origin);
  } catch {
    return null;
  }
}
