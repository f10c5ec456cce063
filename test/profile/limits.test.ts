// Route-level bursts for the profile limits (each rule's exactness at the object level is
// covered for every rule of the table in test/guard/rate-limit.test.ts), and CSRF on the
// new state-changing routes.
import { describe, expect, it } from "vitest";
import { call, expectProblem, randomIp, uniqueEmail } from "../helpers";
import { insertUsers, sessionFor } from "./helpers";
import { png } from "./images";

const admitted = (results: { status: number }[], ok: number) => results.filter((r) => r.status === ok).length;
const refused = (results: { status: number; body: { code?: string } }[]) => results.filter((r) => r.status === 429 && r.body.code === "rate_limited").length;

async function token() {
  const [id] = await insertUsers(1);
  return (await sessionFor(id!)).accessToken;
}

describe("profile rate limits: 4x the budget in parallel admits exactly the budget", () => {
  it("me.profile: 20/60 s per account (PATCH /api/me)", async () => {
    const t = await token();
    const results = await Promise.all(Array.from({ length: 80 }, (_, i) => call("/api/me", { method: "PATCH", json: { name: `n${i}` }, token: t })));
    expect(admitted(results, 200)).toBe(20);
    expect(refused(results)).toBe(60);
  });

  it("me.lifecycle: 5/60 s per account (POST /api/me/deletion/cancel)", async () => {
    const t = await token();
    const results = await Promise.all(Array.from({ length: 20 }, () => call("/api/me/deletion/cancel", { method: "POST", token: t })));
    expect(admitted(results, 204)).toBe(5);
    expect(refused(results)).toBe(15);
  });

  it("me.email-change: 3/60 s per account", async () => {
    const t = await token();
    const results = await Promise.all(Array.from({ length: 12 }, () => call("/api/me/email", { json: { newEmail: uniqueEmail() }, token: t })));
    expect(admitted(results, 202)).toBe(3);
    expect(refused(results)).toBe(9);
  });

  it("auth.reactivate and auth.email-change-revert: 10/60 s per IP", async () => {
    for (const [path, json] of [
      ["/api/auth/reactivate", { reactivationToken: "A".repeat(43) }],
      ["/api/auth/email-change/revert", { token: "A".repeat(43) }],
    ] as const) {
      const ip = randomIp();
      const results = await Promise.all(Array.from({ length: 40 }, () => call(path, { json, headers: { "cf-connecting-ip": ip } })));
      expect(results.filter((r) => r.status === 400).length, path).toBe(10);
      expect(refused(results), path).toBe(30);
    }
  });
});

describe("CSRF", () => {
  it("cross-site browser requests to the new routes are refused and change nothing", async () => {
    const t = await token();
    const site = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    for (const [method, path, init] of [
      ["PATCH", "/api/me", { json: { name: "x" } }],
      ["PUT", "/api/me/avatar", { body: png(8, 8), headers: { "content-type": "image/png" } }],
      ["DELETE", "/api/me/avatar", {}],
      ["PATCH", "/api/me/preferences", { json: { locale: "es" } }],
      ["POST", "/api/me/email", { json: { newEmail: uniqueEmail() } }],
      ["POST", "/api/me/deactivate", {}],
      ["DELETE", "/api/me", {}],
      ["POST", "/api/me/deletion/cancel", {}],
      ["POST", "/api/auth/email-change/revert", { json: { token: "A".repeat(43) } }],
      ["POST", "/api/auth/reactivate", { json: { reactivationToken: "A".repeat(43) } }],
    ] as const) {
      const res = await call(path, { method, token: t, ...init, headers: { ...("headers" in init ? init.headers : {}), ...site } });
      expectProblem(res, 403, "csrf_rejected");
    }
    expect((await call("/api/me", { token: t })).body).toMatchObject({ name: null, locale: null, avatarUrl: null, deletionScheduledAt: null });
  });
});
