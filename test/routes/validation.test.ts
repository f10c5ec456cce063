import { describe, expect, it } from "vitest";
import { call, expectProblem } from "../helpers";

describe("request validation", () => {
  it("names malformed JSON, a wrong content type and bad fields", async () => {
    expectProblem(await call("/api/auth/login", { body: "{bad", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    expectProblem(
      await call("/api/auth/login", { body: "email=a", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
    );
    const res = await call("/api/auth/login", { json: { email: 42, password: ["x"] } });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["email", "password"]);
  });
});
