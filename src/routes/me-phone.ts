// The signed-in user's phone: read it, add one, or change it. Adding or changing sends a
// code to the NEW number; the number is only stored once that code comes back. A phone
// is a way to sign in, so adding or changing one needs a fresh sign-in (both steps: the
// session could end or go stale between them), and the owner is told by email.
import { Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sendOneTimeCode } from "../auth/code-delivery";
import { completePendingStep } from "../auth/session";
import { redeemCode } from "../auth/one-time-code";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { requireRecentAuth, requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import { channelFromRequest, phoneFromRequest, phoneSendSubjects } from "../http/phone-input";
import { accepted } from "../http/respond";
import * as f from "../http/schemas";
import { jsonBody } from "../http/validate";
import { recipientLocale } from "../http/locale";
import { findUserPhone, replaceUserPhone } from "../storage/phones";
import { findUserById } from "../storage/users";
import { codeRefusal } from "../http/code-refusal";
import { tellOwnerOfMethodChange } from "./sign-in-method-events";
import type { MyPhone, PhoneVerified } from "../contract/me";

export const mePhoneRoutes = new Hono<AppEnv>();
describeRoutes(mePhoneRoutes, { tags: ["Account"], auth: "bearer" });
const PURPOSE = "verify-phone";
// Bound to the user as well as the number: two accounts adding the same number never
// share (or replace) each other's code.
const codeTarget = (userId: string, e164: string) => `${userId}:${e164}`;

const PhoneBody = z.object({ phone: z.nullable(z.string()), verifiedAt: z.nullable(z.string()) });
describeRoute(mePhoneRoutes, {
  summary: "The account's verified phone (E.164), if any.",
  responses: { 200: { description: "Phone", schema: PhoneBody } },
});
mePhoneRoutes.get("/", requireUser({ allowPending: true }), async (c) => {
  const identity = await findUserPhone(c.env, c.get("userId")!);
  c.header("cache-control", "no-store");
  return c.json({ phone: identity?.subject ?? null, verifiedAt: identity?.verifiedAt ? new Date(identity.verifiedAt).toISOString() : null } satisfies MyPhone);
});

const AddBody = z.object({ phone: f.phone, channel: z.optional(f.channel), locale: z.optional(f.locale) });
describeRoute(mePhoneRoutes, {
  body: AddBody,
  summary: "Add or change the phone: sends a code to the new number. Needs a sign-in within REAUTH_WINDOW_SECONDS (403 reauthentication_required).",
  responses: { 202: "Code sent", 403: "reauthentication_required" },
});
mePhoneRoutes.post("/", requireUser({ allowPending: true }), requireRecentAuth(), jsonBody(AddBody), async (c) => {
  const body = c.req.valid("json");
  const userId = c.get("userId")!;
  const phone = await phoneFromRequest(c, body.phone);
  const channel = channelFromRequest(c, body.channel);
  await enforceRateLimit(c, "code.send-phone", { ...phoneSendSubjects(phone), account: userId });
  const locale = recipientLocale(c, await findUserById(c.env, userId), body.locale);
  // Sent even if another account has this number: saying so here would let any signed-in
  // user probe numbers. Ownership of the number is proven first; /verify then says 409.
  c.executionCtx.waitUntil(
    sendOneTimeCode(c.env, {
      purpose: PURPOSE,
      target: codeTarget(userId, phone.e164),
      destination: { phone: phone.e164, channel },
      text: "verify-phone",
      locale,
      userId,
      deliver: true,
    }),
  );
  return accepted(c);
});

const VerifyBody = z.object({ phone: f.phone, code: f.code });
describeRoute(mePhoneRoutes, {
  body: VerifyBody,
  summary: "Confirm the new phone with its code; it replaces any earlier phone. Needs a sign-in within REAUTH_WINDOW_SECONDS; the owner is told by email.",
  responses: {
    200: { description: "Phone verified", schema: PhoneBody },
    403: "reauthentication_required",
    409: "conflict: the number belongs to another account",
  },
});
mePhoneRoutes.post("/verify", requireUser({ allowPending: true }), requireRecentAuth(), jsonBody(VerifyBody), async (c) => {
  const { phone: input, code } = c.req.valid("json");
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "code.verify");
  const phone = await phoneFromRequest(c, input);
  const result = await redeemCode(c.env, PURPOSE, codeTarget(userId, phone.e164), code);
  if (!result.ok) throw await codeRefusal(c, result.reason);
  const user = await findUserById(c.env, userId);
  if (!user || user.disabledAt) throw new ApiError("invalid_token");
  const before = await findUserPhone(c.env, userId);
  if ((await replaceUserPhone(c.env, userId, phone.e164)) === "taken") {
    throw new ApiError("conflict", { detail: "This phone number belongs to another account." });
  }
  // The phone step is done: waiting sessions (this one too) get complete tokens from their next refresh.
  await completePendingStep(c.env, userId, "phone");
  audit(c, { type: "phone.verified", userId, sessionId: c.get("sessionId"), detail: { flow: "account", replaced: before !== null } });
  if (before?.subject !== phone.e164) tellOwnerOfMethodChange(c, user, { type: before ? "phone_changed" : "phone_added", phone: phone.e164 });
  const identity = await findUserPhone(c.env, userId);
  c.header("cache-control", "no-store");
  return c.json({ phone: phone.e164, verifiedAt: identity?.verifiedAt ? new Date(identity.verifiedAt).toISOString() : null } satisfies PhoneVerified);
});
