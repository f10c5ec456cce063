// What a client needs before it asks for a phone number: the channels this deployment
// can send codes by (PHONE_CHANNELS, in order, the first is the default), the countries
// it accepts (PHONE_ALLOWED_COUNTRIES; empty = every country) and the caller's country
// from request.cf.country, the same default region the server uses to read a national
// number (src/http/phone-input.ts). The SPA's phone field starts there.
import { Hono } from "hono";
import { config } from "../config";
import type { AppEnv } from "../env";
import { describeRoute, describeRoutes } from "../http/openapi";
import type { PhoneOptions } from "../contract/auth";

export const phoneOptionsRoutes = new Hono<AppEnv>();
describeRoutes(phoneOptionsRoutes, { tags: ["Phones"] });

describeRoute(phoneOptionsRoutes, {
  summary:
    "Phone entry options: {channels (sms|whatsapp|telegram, default first), allowedCountries (ISO codes; [] = all), country (the caller's, from Cloudflare; null if unknown)}.",
  responses: { 200: "Options" },
});
phoneOptionsRoutes.get("/options", (c) => {
  const phone = config(c.env).phone;
  const cf = (c.req.raw as { cf?: IncomingRequestCfProperties }).cf;
  // Cloudflare's pseudo-codes (T1 = Tor, XX = unknown) name no country.
  const given: unknown = cf?.country;
  const country = typeof given === "string" && /^[A-Z]{2}$/.test(given) && given !== "T1" && given !== "XX" ? given : null;
  // Depends on where the caller is: never stored by a shared cache.
  c.header("cache-control", "private, no-store");
  return c.json({ channels: phone.channels, allowedCountries: phone.allowedCountries, country } satisfies PhoneOptions);
});
