// The rate limits of second factors and passkeys, through their routes: a burst of 4x the
// budget in parallel admits exactly the budget (README "Abuse protection").
import { describe, expect, it } from "vitest";
import { randomToken } from "../../src/auth/secrets";

import { call, randomIp, signUp } from "../helpers";

const burst = (n: number, request: () => Promise<{ status: number; body: { code?: string } | null }>) => Promise.all(Array.from({ length: n }, request));
const count = (values: (string | number)[]) => {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
};
const statusCounts = (results: { status: number }[]) => count(results.map((r) => r.status));
const codes = (results: { body: { code?: string } | null }[]) => count(results.map((r) => r.body?.code ?? "ok"));

describe("second-factor limits: 4x the budget in parallel admits exactly the budget", () => {
  it("auth.mfa-verify per IP (10/60 s)", async () => {
    const ip = randomIp();
    const results = await burst(40, () =>
      call("/api/auth/mfa/verify", { json: { mfaToken: randomToken(), code: "123456" }, headers: { "cf-connecting-ip": ip } }),
    );
    expect(statusCounts(results)).toEqual({ 401: 10, 429: 30 });
  });

  it("auth.passkey per IP (20/60 s)", async () => {
    const ip = randomIp();
    const results = await burst(80, () => call("/api/auth/passkey/options", { json: {}, headers: { "cf-connecting-ip": ip } }));
    expect(statusCounts(results)).toEqual({ 200: 20, 429: 60 });
  });

  it("auth.reauthenticate per account (10/60 s), across IPs", async () => {
    const { accessToken: token } = await signUp();
    const results = await burst(40, () => call("/api/auth/reauthenticate", { json: { code: "123456" }, token }));
    expect(codes(results)).toEqual({ invalid_code: 10, rate_limited: 30 });
  });

  it("me.mfa per account (20/60 s), across IPs", async () => {
    const { accessToken: token } = await signUp();
    expect(statusCounts(await burst(80, () => call("/api/me/mfa", { token })))).toEqual({ 200: 20, 429: 60 });
  });
});
