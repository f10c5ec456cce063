import { describe, expect, it } from "vitest";
import { call } from "../helpers";

describe("GET /api/auth/password/policy", () => {
  it("publishes the configured minimum and the maximum length", async () => {
    const res = await call("/api/auth/password/policy");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ minLength: 15, maxLength: 256 });
  });

  it("is listed in the OpenAPI document", async () => {
    const res = await call("/api/openapi.json");
    expect(res.body.paths["/api/auth/password/policy"].get).toBeDefined();
  });

  it("refuses other methods without changing anything", async () => {
    const res = await call("/api/auth/password/policy", { method: "POST", json: { minLength: 1 } });
    expect(res.status).toBe(404);
    expect((await call("/api/auth/password/policy")).body.minLength).toBe(15);
  });
});
