import { describe, expect, it } from "vitest";
import metadata from "../../src/auth/phone-metadata.json";
import { parsePhoneNumber as parseWith, type PhoneMetadata } from "../../src/auth/phone-number";
import { call, expectProblem } from "../helpers";
import { callFrom, uniquePhone } from "../phone-helpers";

const parsePhoneNumber = (input: string, region: string | undefined, allowed?: string[]) =>
  parseWith(metadata as unknown as PhoneMetadata, input, region, allowed);

describe("phone number parsing", () => {
  it("normalises international and national forms to E.164", () => {
    expect(parsePhoneNumber("+34 612 34 56 78", undefined)).toMatchObject({ ok: true, e164: "+34612345678", country: "ES", callingCode: "34" });
    expect(parsePhoneNumber("612-34-56-78", "ES")).toMatchObject({ ok: true, e164: "+34612345678" });
    expect(parsePhoneNumber("(201) 555-0123", "US")).toMatchObject({ ok: true, e164: "+12015550123", country: "US" });
    // An explicit country code wins over the default region.
    expect(parsePhoneNumber("+52 55 1234 5678", "ES")).toMatchObject({ ok: true, e164: "+525512345678", country: "MX" });
  });

  it.each([
    ["", "Enter a phone number."],
    ["call me maybe", "A phone number cannot contain letters."],
    ["+1 800 FLOWERS", "A phone number cannot contain letters."],
    ["+34 6１2 345 678", "Use the digits 0-9 only."],
    ["+٣٤٦١٢٣٤٥٦٧٨", "Use the digits 0-9 only."],
    ["+34 612 345 678 901 234 567", "The phone number is too long."],
    ["1".repeat(40), "The phone number is too long."],
    ["+34 612", "The phone number is too short."],
    ["612345678", "Start the number with + and the country code."],
    ["+999 612345678", "The country code is not valid."],
    ["+34 91 123 45 67", "This is not a valid mobile number in ES. Check the digits and the country code."],
    ["+34612345678; DROP TABLE users", "A phone number cannot contain letters."],
    ["+34\u0000612345678", "A phone number may only contain digits, spaces, dashes, dots, brackets and a leading +."],
    ["+34 612\u202e345678", "A phone number may only contain digits, spaces, dashes, dots, brackets and a leading +."],
  ])("refuses %j: %s", (input, reason) => {
    expect(parsePhoneNumber(input, undefined)).toEqual({ ok: false, reason });
  });

  it("refuses numbers from countries outside the allow-list", () => {
    expect(parsePhoneNumber("+34 612 34 56 78", undefined, ["US", "MX"])).toEqual({ ok: false, reason: "Phone numbers from ES are not accepted here." });
    expect(parsePhoneNumber("+52 55 1234 5678", undefined, ["US", "MX"])).toMatchObject({ ok: true });
  });
});

describe("phone inputs on the routes", () => {
  it("uses request.cf.country as the default region", async () => {
    const res = await callFrom("ES", "/api/auth/signup/phone/start", { phone: "6" + uniquePhone().slice(4) });
    expect(res.status).toBe(202);
    expect(res.body.phone).toMatch(/^\+346•+\d\d$/);
    const us = await callFrom("US", "/api/auth/signup/phone/start", { phone: "6" + uniquePhone().slice(4) });
    expectProblem(us, 400, "invalid_phone_number");
  });

  it.each(["abc", "+34 6１2 345 678", "9".repeat(300), "+44 20 7946 0958", "+34 612", "", "‮+34612345678"])(
    "answers 400 with a reason for %j on every phone route",
    async (phone) => {
      for (const path of ["/api/auth/otp/send", "/api/auth/signup/phone/start"]) {
        const res = await call(path, { json: { phone } });
        expect(res.status).toBe(400);
        expect(["invalid_phone_number", "validation_failed"]).toContain(res.body.code);
        expect(res.body.errors?.[0]?.path).toBe("phone");
      }
    },
  );

  it("refuses wrong types, unknown channels, malformed JSON and huge bodies", async () => {
    expectProblem(await call("/api/auth/otp/send", { json: { phone: 34612345678 } }), 400, "validation_failed");
    expectProblem(await call("/api/auth/otp/send", { json: { phone: uniquePhone(), channel: "pigeon" } }), 400, "validation_failed");
    expectProblem(await call("/api/auth/otp/send", { json: { phone: uniquePhone(), purpose: "reset-password" } }), 400, "validation_failed");
    expectProblem(await call("/api/auth/otp/send", { body: '{"phone":', headers: { "content-type": "application/json" } }), 400, "invalid_json");
    expectProblem(await call("/api/auth/signup/phone/complete", { body: "{", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    expectProblem(await call("/api/auth/otp/send", { json: { phone: uniquePhone(), pad: "x".repeat(70 * 1024) } }), 413, "payload_too_large");
    expectProblem(await call("/api/auth/otp/verify", { json: { phone: uniquePhone(), code: "12345a" } }), 400, "validation_failed");
    expectProblem(await call("/api/auth/signup/phone/verify-phone", { json: { signupToken: "' OR 1=1 --", code: "123456" } }), 400, "validation_failed");
  });
});

describe("OpenAPI", () => {
  it("documents the phone and one-time-code routes from their schemas", async () => {
    const doc = await call("/api/openapi.json");
    expect(doc.status).toBe(200);
    for (const path of [
      "/api/auth/otp/send",
      "/api/auth/otp/verify",
      "/api/auth/signup/phone/start",
      "/api/auth/signup/phone/complete",
      "/api/me/phone",
      "/api/me/phone/verify",
    ]) {
      expect(doc.body.paths[path], path).toBeDefined();
    }
    expect(JSON.stringify(doc.body.paths["/api/auth/otp/send"].post.requestBody)).toContain("whatsapp");
  });
});
