// The pending registration of this browser: the registrationToken from POST
// /api/auth/register, which verify-email and resend-verification need (a registration's
// code opens only that registration, README "Registration"). Kept in localStorage, not
// sessionStorage, because the emailed link opens a new tab. It is useless without the
// mailbox, and it is removed once the registration ends.
const KEY = "edge-auth.registration";

type Pending = { email: string; token: string };

export function rememberRegistration(email: string, token: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ email: email.trim().toLowerCase(), token } satisfies Pending));
  } catch {
    // Storage refused (private mode): the code still works in this tab until it reloads.
  }
  memory = { email: email.trim().toLowerCase(), token };
}

let memory: Pending | null = null;

/** The pending registration, for `email` if given (case-insensitive). */
export function pendingRegistration(email?: string): Pending | null {
  let p = memory;
  try {
    p = JSON.parse(localStorage.getItem(KEY) ?? "null") as Pending | null;
  } catch {
    // keep the in-memory copy
  }
  if (!p || typeof p.token !== "string") return null;
  return email === undefined || p.email === email.trim().toLowerCase() ? p : null;
}

export function forgetRegistration(): void {
  memory = null;
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
