// HIBP range API (k-anonymity, Add-Padding) with an intercepted fetch: the exact request,
// hit, miss, padding entries, 5xx, timeout; on/off and fail-open/fail-closed through the
// routes that set a password (register, reset, change).
import { describe, expect, it, vi } from "vitest";
import { HIBP_RANGE_URL, lookUpBreachedPassword } from "../../src/auth/breached-password";
import { sendWithEnv } from "../abuse-helpers";
import { call, expectProblem, signUp, STRONG_PASSWORD, uniqueEmail } from "../helpers";
import { intercept, type Responder } from "../http-intercept";

// Many password hashes per test: under a parallel full-suite run they take longer than 5 s.
vi.setConfig({ testTimeout: 30_000 });

const CANDIDATE = "purple monkey dishwasher ninety nine";

async function sha1(s: string) {
  const d = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(s));
  return [...new Uint8Array(d)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
}

const CANDIDATE_RANGE_URL = `${HIBP_RANGE_URL}${(await sha1(CANDIDATE)).slice(0, 5)}`;
/** HIBP answering the candidate's range with `respond`; returns the requests it received. */
const stubHibp = (respond: Responder) => intercept({ [CANDIDATE_RANGE_URL]: respond });
/** A server that never answers: its request fails only when the caller aborts it. */
const hangingHibp = () => {
  const hanging = { aborted: false };
  const onAbort = (reject: (e: Error) => void) => () => {
    hanging.aborted = true;
    reject(new Error("aborted"));
  };
  stubHibp((_, request) => new Promise((_, reject) => request.signal.addEventListener("abort", onAbort(reject))));
  return hanging;
};

const rangeWith = async (password: string, count: number) => {
  const suffix = (await sha1(password)).slice(5);
  return `0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n${suffix}:${count}\r\nFFFFF45C4D1DEF81644B54AB7F969B88D65:0`;
};

describe("lookUpBreachedPassword", () => {
  it("sends only the 5-character SHA-1 prefix, with Add-Padding, and finds a hit", async () => {
    const requests = stubHibp(async () => new Response(await rangeWith(CANDIDATE, 42)));
    expect(await lookUpBreachedPassword(CANDIDATE, 1000)).toEqual({ status: "breached", count: 42 });
    expect(requests).toEqual([
      { method: "GET", url: CANDIDATE_RANGE_URL, headers: { "add-padding": "true", "user-agent": "edge-auth-breached-password-check" } },
    ]);
    expect(CANDIDATE_RANGE_URL).not.toContain((await sha1(CANDIDATE)).slice(5));
  });

  it("is clean on a miss, and ignores padding entries (count 0) that match", async () => {
    stubHibp(() => new Response("0018A45C4D1DEF81644B54AB7F969B88D65:3\r\n"));
    expect(await lookUpBreachedPassword(CANDIDATE, 1000)).toEqual({ status: "clean" });
    stubHibp(async () => new Response(await rangeWith(CANDIDATE, 0)));
    expect(await lookUpBreachedPassword(CANDIDATE, 1000)).toEqual({ status: "clean" });
  });

  it("is unknown on a 5xx, a network error, or a timeout", async () => {
    stubHibp(() => new Response("oops", { status: 503 }));
    expect(await lookUpBreachedPassword(CANDIDATE, 1000)).toEqual({ status: "unknown", reason: "http_503" });
    stubHibp(() => Promise.reject(new TypeError("connection refused")));
    expect(await lookUpBreachedPassword(CANDIDATE, 1000)).toMatchObject({ status: "unknown" });
    // The lookup gives up after the timeout and aborts the fetch.
    const hanging = hangingHibp();
    expect(await lookUpBreachedPassword(CANDIDATE, 30)).toEqual({ status: "unknown", reason: "timeout" });
    expect(hanging.aborted).toBe(true);
  });
});

describe("new passwords with the check on", () => {
  const ON = { BREACHED_PASSWORD_CHECK: "on" };

  it("refuses a breached password at registration and accepts a clean one", async () => {
    stubHibp(async () => new Response(await rangeWith(CANDIDATE, 7)));
    const refused = await sendWithEnv(ON, "/api/auth/register", { json: { email: uniqueEmail(), password: CANDIDATE } });
    expectProblem(refused, 400, "weak_password");
    expect(refused.body.detail).toMatch(/data breach/);
    stubHibp(() => new Response("0018A45C4D1DEF81644B54AB7F969B88D65:3"));
    expect((await sendWithEnv(ON, "/api/auth/register", { json: { email: uniqueEmail(), password: CANDIDATE } })).status).toBe(202);
  });

  it("fails open by default and closed when configured, on a 5xx or a timeout", async () => {
    stubHibp(() => new Response("down", { status: 500 }));
    expect((await sendWithEnv(ON, "/api/auth/register", { json: { email: uniqueEmail(), password: CANDIDATE } })).status).toBe(202);
    const closed = { ...ON, BREACHED_PASSWORD_ON_ERROR: "refuse" };
    expectProblem(await sendWithEnv(closed, "/api/auth/register", { json: { email: uniqueEmail(), password: CANDIDATE } }), 503, "service_unavailable");
    hangingHibp();
    expectProblem(
      await sendWithEnv({ ...closed, BREACHED_PASSWORD_TIMEOUT_MS: "50" }, "/api/auth/register", { json: { email: uniqueEmail(), password: CANDIDATE } }),
      503,
      "service_unavailable",
    );
  });

  it("is applied to a password change", async () => {
    const { accessToken } = await signUp();
    stubHibp(async () => new Response(await rangeWith(CANDIDATE, 3)));
    const res = await sendWithEnv(ON, "/api/me/password", { json: { currentPassword: STRONG_PASSWORD, newPassword: CANDIDATE }, token: accessToken });
    expectProblem(res, 400, "weak_password");
    expect(res.body.detail).toMatch(/data breach/);
  });

  it("is applied to a password reset", async () => {
    const { email } = await signUp();
    stubHibp(async () => new Response(await rangeWith(CANDIDATE, 3)));
    const res = await sendWithEnv(ON, "/api/auth/password/reset", { json: { email, code: "123456", password: CANDIDATE } });
    expectProblem(res, 400, "weak_password");
    expect(res.body.detail).toMatch(/data breach/);
  });

  it("never calls out when the check is off (as in this test environment)", async () => {
    const requests = stubHibp(() => new Response("", { status: 500 }));
    expect((await call("/api/auth/register", { json: { email: uniqueEmail(), password: CANDIDATE } })).status).toBe(202);
    expect(requests).toEqual([]);
  });
});
