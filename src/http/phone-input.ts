// Turning request fields into a phone number and a channel, or a clear 400.
import type { Context } from "hono";
import { config, type PhoneChannel } from "../config";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { phoneMetadata } from "../auth/phone-metadata";
import { parsePhoneNumber, type PhoneMetadata } from "../auth/phone-number";
import { assertChannelReady } from "../readiness";

export type RequestPhone = { e164: string; country: string | null; callingCode: string };

/** request.cf.country is the default region, so people can type a national number. */
export async function phoneFromRequest(c: Context<AppEnv>, input: string): Promise<RequestPhone> {
  const cf = (c.req.raw as { cf?: IncomingRequestCfProperties }).cf;
  const region = typeof cf?.country === "string" ? cf.country : undefined;
  let metadata: PhoneMetadata;
  try {
    metadata = await phoneMetadata(c.env);
  } catch (cause) {
    // A deployment without its data assets: say so, never guess at a number.
    throw new ApiError("service_unavailable", { cause });
  }
  const result = parsePhoneNumber(metadata, input, region, config(c.env).phone.allowedCountries);
  if (!result.ok) throw new ApiError("invalid_phone_number", { detail: result.reason, errors: [{ path: "phone", message: result.reason }] });
  return result;
}

/**
 * The channel asked for (or the default), if it is offered. A channel whose provider
 * cannot send here is 503 service_misconfigured (src/readiness.ts), the same for every
 * number, rather than a 202 for a code that would never leave.
 */
export function channelFromRequest(c: Context<AppEnv>, requested: string | undefined): PhoneChannel {
  const enabled = config(c.env).phone.channels;
  const channel = (requested ?? enabled[0]) as PhoneChannel;
  if (!enabled.includes(channel)) {
    const message = `Choose one of: ${enabled.join(", ")}.`;
    throw new ApiError("validation_failed", { detail: message, errors: [{ path: "channel", message }] });
  }
  assertChannelReady(c.env, channel);
  return channel;
}

/**
 * The rate-limit subjects of a request for a code to a phone (policy "code.send-phone").
 * Not the country: that budget is charged only when a message is queued (auth/code-delivery.ts).
 */
export const phoneSendSubjects = (phone: RequestPhone) => ({ target: phone.e164 });
