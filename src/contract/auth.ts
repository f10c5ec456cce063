// Answers of the sign-in, sign-up and token routes (README "API"). Types only: shared by
// the Worker and the SPA (src/contract/README.md).

// The public part of a user (sign-in answers, larger bodies) is the one the RPC contract
// gives other Workers: one type for both doors. That file is a leaf of plain types too.
import type { PublicUser } from "../verifier/contract";

export type { PublicUser };

/** An access token answer (sign-in, refresh, reactivate, switch-org). `refreshToken` only with `X-Token-Transport: body`. */
export type TokenResponse = {
  accessToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  refreshToken?: string;
  /** A step this session must finish first ("phone"). */
  pending?: string;
  /** Sign-in answers carry the public profile. */
  user?: PublicUser;
};

/** A first factor passed, the second step is due: nothing here signs in. */
export type MfaRequired = { mfaRequired: true; mfaToken: string; methods: string[]; expiresIn: number };

/** Every first factor answers with tokens or a second-step challenge. */
export type SignInResponse = TokenResponse | MfaRequired;

/** 202 of the routes that must not reveal whether an account exists. */
export type Accepted = { status: "accepted"; message: string };

/** POST /api/auth/register: keep the token for verify-email and resend-verification. */
export type Registered = Accepted & { registrationToken: string };

/** GET /api/auth/password/policy */
export type PasswordPolicy = { minLength: number; maxLength: number };

export type PhoneChannel = "sms" | "whatsapp" | "telegram";

/** GET /api/auth/phone/options */
export type PhoneOptions = { channels: PhoneChannel[]; allowedCountries: string[]; country: string | null };

export type SignupStep = "phone" | "verify-phone" | "email" | "verify-email" | "password";

/** Every answer of /api/auth/signup/phone/* but the last (tokens). Phone and email come masked. */
export type PhoneSignupState = {
  signupToken: string;
  step: SignupStep;
  phone: string;
  email: string | null;
  channel: PhoneChannel;
  expiresAt: string;
};

/** GET /api/auth/providers */
export type ProvidersResponse = { providers: { id: string; name: string; startUrl: string }[] };

/** POST /api/auth/reauthenticate */
export type Reauthenticated = { authenticatedAt: string; amr: string[]; accessToken: string; tokenType: "Bearer"; expiresIn: number };

/** POST /api/auth/passkey/options: for navigator.credentials.get(); allowCredentials only for a second step. */
export type PasskeyRequestOptions = {
  challenge: string;
  rpId: string;
  timeout: number;
  userVerification: "required";
  allowCredentials?: { type: "public-key"; id: string; transports?: string[] }[];
};
