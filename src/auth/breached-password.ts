// Breached-password check against Have I Been Pwned's range API (NIST SP 800-63B-4
// §3.1.1.2: refuse passwords known from breaches). k-anonymity: only the first 5 hex
// characters of the SHA-1 leave the Worker; the suffix is compared here. `Add-Padding`
// makes HIBP pad every answer to a similar size with count-0 entries, so an observer of
// the (encrypted) response length learns nothing about the prefix; those entries are
// ignored. The lookup has a hard timeout; what an unanswered lookup means (allow or
// refuse the password) is configuration (README "Abuse protection").
export const HIBP_RANGE_URL = "https://api.pwnedpasswords.com/range/";

export type BreachResult = { status: "breached"; count: number } | { status: "clean" } | { status: "unknown"; reason: string };

const encoder = new TextEncoder();

async function sha1Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", encoder.encode(value));
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
}

/** Looks the (already NFKC-normalised) password up by SHA-1 prefix. Never throws. */
export async function lookUpBreachedPassword(password: string, timeoutMs: number): Promise<BreachResult> {
  const hash = await sha1Hex(password);
  const prefix = hash.slice(0, 5);
  const suffix = hash.slice(5);
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Race as well as abort: the answer is bounded by the timeout even if fetch ignores the signal.
  const timeout = new Promise<BreachResult>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve({ status: "unknown", reason: "timeout" });
    }, timeoutMs);
  });
  const lookup = (async (): Promise<BreachResult> => {
    const res = await fetch(`${HIBP_RANGE_URL}${prefix}`, {
      headers: { "add-padding": "true", "user-agent": "edge-auth-breached-password-check" },
      signal: abort.signal,
    });
    if (!res.ok) return { status: "unknown", reason: `http_${res.status}` };
    const body = await res.text();
    for (const line of body.split("\n")) {
      const [candidate, count] = line.trim().split(":");
      if (candidate?.toUpperCase() === suffix) {
        const n = Number.parseInt(count ?? "0", 10);
        // Padding entries carry count 0: they are not breaches.
        return n > 0 ? { status: "breached", count: n } : { status: "clean" };
      }
    }
    return { status: "clean" };
  })().catch((e: unknown) => ({ status: "unknown", reason: abort.signal.aborted ? "timeout" : `network: ${String(e)}` }) as BreachResult);
  try {
    return await Promise.race([lookup, timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
