import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call } from "../helpers";

const optionsFrom = async (cf: Record<string, unknown> | undefined) => {
  const res = await SELF.fetch("http://127.0.0.1:8787/api/auth/phone/options", { ...(cf ? { cf } : {}) } as RequestInit);
  return { status: res.status, headers: res.headers, body: (await res.json()) as { channels: string[]; allowedCountries: string[]; country: string | null } };
};

describe("GET /api/auth/phone/options", () => {
  it("lists the configured channels (default first), the allowed countries and the caller's country", async () => {
    const res = await optionsFrom({ country: "BR" });
    expect(res.status).toBe(200);
    // wrangler.toml: PHONE_CHANNELS = "sms,whatsapp,telegram", PHONE_ALLOWED_COUNTRIES = "".
    expect(res.body).toEqual({ channels: ["sms", "whatsapp", "telegram"], allowedCountries: [], country: "BR" });
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("says null when Cloudflare does not know the country, or names a pseudo-country", async () => {
    for (const cf of [undefined, { country: "T1" }, { country: "XX" }, { country: "br" }, { country: "<script>" }, { country: 42 }]) {
      expect((await optionsFrom(cf)).body.country).toBeNull();
    }
  });

  it("is listed in the OpenAPI document and refuses other methods", async () => {
    expect((await call("/api/openapi.json")).body.paths["/api/auth/phone/options"].get).toBeDefined();
    expect((await call("/api/auth/phone/options", { method: "POST", json: { channels: ["x"] } })).status).toBe(404);
    expect((await optionsFrom(undefined)).body.channels).toEqual(["sms", "whatsapp", "telegram"]);
  });
});
