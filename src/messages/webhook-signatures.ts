// How the messaging providers sign their delivery reports. Both are HMACs with a secret
// only we and the provider know; comparisons are constant-time.
//  - Twilio (X-Twilio-Signature): base64 HMAC-SHA1, keyed with the auth token, of the full
//    URL Twilio requested followed by every POST parameter as name+value, sorted by name.
//    https://www.twilio.com/docs/usage/webhooks/webhooks-security
//  - Meta (X-Hub-Signature-256): "sha256=" + hex HMAC-SHA256, keyed with the app secret,
//    of the raw body bytes. https://developers.facebook.com/docs/graph-api/webhooks/getting-started
import { encodeBase64, encodeHexLowerCase } from "@oslojs/encoding";
import { safeEqual } from "../auth/secrets";

const encoder = new TextEncoder();

async function hmac(hash: "SHA-1" | "SHA-256", secret: string, data: Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

export async function twilioSignature(authToken: string, url: string, params: URLSearchParams): Promise<string> {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const data = url + sorted.map(([k, v]) => k + v).join("");
  return encodeBase64(await hmac("SHA-1", authToken, encoder.encode(data)));
}

export async function isTwilioSignatureValid(authToken: string, url: string, params: URLSearchParams, signature: string): Promise<boolean> {
  return safeEqual(await twilioSignature(authToken, url, params), signature);
}

export async function metaSignature(appSecret: string, body: Uint8Array): Promise<string> {
  return `sha256=${encodeHexLowerCase(await hmac("SHA-256", appSecret, body))}`;
}

export async function isMetaSignatureValid(appSecret: string, body: Uint8Array, signature: string): Promise<boolean> {
  return safeEqual(await metaSignature(appSecret, body), signature.toLowerCase());
}
