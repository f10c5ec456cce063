// One POST to a messaging provider, with the error classification the consumer needs:
// 429 and 5xx are the provider's trouble (retry later); other 4xx will not get better
// by retrying the same channel, so the fallback channel is tried instead.
import type { DeliveryProvider } from "../storage/provider-messages";
import { DeliveryError } from "./email";

/** The provider's id for a message it accepted: what its later delivery reports name. */
export type ProviderReceipt = { provider: DeliveryProvider; id: string };

export async function postToProvider(provider: string, url: string, init: { headers: Record<string, string>; body: string }): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers: init.headers, body: init.body, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new DeliveryError(`${provider}: ${(e as Error).message}`, true);
  }
  if (!res.ok) throw new DeliveryError(`${provider} answered ${res.status}`, res.status === 429 || res.status >= 500);
  return res;
}
