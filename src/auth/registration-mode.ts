// Who may create an account (README "Invite-only mode"). REGISTRATION_MODE is "open"
// (default) or "invite-only"; any other value fails CLOSED (invite-only) and /health
// reports it, so a typo never opens sign-up. Every way of creating an account asks
// `mayCreateAccounts` before it creates anything; registering through an invitation
// (POST /api/auth/register with invitationToken) is the one way in when it says no.
import { ApiError } from "../errors";

export type RegistrationMode = "open" | "invite-only";

export function registrationMode(env: Env): { mode: RegistrationMode; valid: boolean } {
  const raw = (env.REGISTRATION_MODE ?? "").trim();
  if (raw === "" || raw === "open") return { mode: "open", valid: true };
  return { mode: "invite-only", valid: raw === "invite-only" };
}

export const mayCreateAccounts = (env: Env): boolean => registrationMode(env).mode === "open";

/** Throws 403 registration_invite_only unless anyone may sign up. Asked BEFORE any account lookup, so it reveals nothing. */
export function refuseUnlessOpenRegistration(env: Env): void {
  if (!mayCreateAccounts(env)) throw new ApiError("registration_invite_only");
}
