// Browser hardening: security headers on every response, the CORS allow-list (other
// origins are never echoed), and CSRF refusal of cross-site cookie-authenticated POSTs.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { describe, expect, it, vi } from "vitest";
import { securityHeaders } from "../../src/http/security-headers";
import { call, expectProblem, refreshCookieFrom, signUp } from "../helpers";

// Many password hashes per test: under a parallel full-suite run they take longer than 5 s.
vi.setConfig({ testTimeout: 30_000 });

const ALLOWED = "https://app.example.com"; // CORS_ORIGINS in vitest.config.ts
const EVIL = "https://evil.example";

function expectSecurityHeaders(headers: Headers) {
  expect(headers.get("strict-transport-security")).toMatch(/max-age=\d{8,}; includeSubDomains/);
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(headers.get("referrer-policy")).toBe("no-referrer");
}

describe("security headers", () => {
  it("are on every kind of response: success, problem, 404, preflight, docs", async () => {
    const { accessToken } = await signUp();
    const responses = await Promise.all([
      call("/health"),
      call("/api/me", { token: accessToken }),
      call("/api/me"),
      call("/api/nope"),
      call("/api/auth/login", { json: "{" }),
      call("/api/auth/login", { method: "OPTIONS", headers: { origin: ALLOWED, "access-control-request-method": "POST" } }),
      call("/api/openapi.json"),
      call("/api/docs"),
      call("/.well-known/jwks.json"),
    ]);
    for (const res of responses) expectSecurityHeaders(res.headers);
    expect(responses[1]!.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("are exactly the set hono/secure-headers wrote with our options, and a route's own header wins", async () => {
    // src/http/security-headers.ts replaced that middleware (bundle size); same answers.
    const headersOf = async (middleware: ReturnType<typeof securityHeaders>) => {
      const app = new Hono();
      app.use(middleware);
      app.get("/", (c) => c.text("ok", 200, { "x-powered-by": "x" }));
      app.get("/own", (c) => c.text("ok", 200, { "content-security-policy": "sandbox", "cross-origin-resource-policy": "cross-origin" }));
      return Promise.all(["/", "/own"].map(async (path) => [...(await app.request(path)).headers].sort()));
    };
    const before = await headersOf(
      secureHeaders({
        strictTransportSecurity: "max-age=63072000; includeSubDomains",
        xFrameOptions: "DENY",
        referrerPolicy: "no-referrer",
        contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
        crossOriginResourcePolicy: "same-origin",
        overwrite: false,
      }),
    );
    const now = await headersOf(securityHeaders());
    expect(now).toEqual(before);
    expect(Object.fromEntries(now[1]!)["content-security-policy"]).toBe("sandbox");
    expect(Object.fromEntries(now[0]!)["x-powered-by"]).toBeUndefined();
  });
});

describe("CORS", () => {
  it("echoes an allow-listed origin, with credentials, on preflight and on the request", async () => {
    const pre = await call("/api/auth/login", {
      method: "OPTIONS",
      headers: { origin: ALLOWED, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    expect(pre.headers.get("vary")?.toLowerCase()).toContain("origin");
    const get = await call("/health", { headers: { origin: ALLOWED } });
    const api = await call("/api/openapi.json", { headers: { origin: ALLOWED } });
    expect(api.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(api.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("retry-after");
    expect(get.status).toBe(200);
  });

  it("never echoes any other origin (nor a wildcard), including look-alikes", async () => {
    for (const origin of [EVIL, "https://app.example.com.evil.example", "http://app.example.com", "null", "https://APP.example.com"]) {
      const pre = await call("/api/auth/login", { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
      expect(pre.headers.get("access-control-allow-origin")).toBeNull();
      const res = await call("/api/openapi.json", { headers: { origin } });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).not.toBe("true");
    }
  });
});

describe("CSRF", () => {
  it("refuses a cross-site cookie-authenticated POST (refresh, logout) and changes nothing", async () => {
    const { cookie } = await signUp();
    for (const path of ["/api/auth/refresh", "/api/auth/logout"]) {
      expectProblem(await call(path, { method: "POST", cookie, headers: { origin: EVIL, "sec-fetch-site": "cross-site" } }), 403, "csrf_rejected");
      // Older browsers send no Sec-Fetch-Site: the foreign Origin alone is enough.
      expectProblem(await call(path, { method: "POST", cookie, headers: { origin: EVIL } }), 403, "csrf_rejected");
      // A same-site but different origin (e.g. a sibling subdomain) is refused too.
      expectProblem(
        await call(path, { method: "POST", cookie, headers: { origin: "https://other.127.0.0.1.nip.io", "sec-fetch-site": "same-site" } }),
        403,
        "csrf_rejected",
      );
    }
    // The session was neither rotated nor ended: the same cookie still refreshes, from our own origin.
    const ok = await call("/api/auth/refresh", { method: "POST", cookie, headers: { origin: "http://127.0.0.1:8787", "sec-fetch-site": "same-origin" } });
    expect(ok.status).toBe(200);
  });

  it("lets an allow-listed origin through, and non-browser clients (no Origin, no Sec-Fetch-Site)", async () => {
    const { cookie } = await signUp();
    const allowed = await call("/api/auth/refresh", { method: "POST", cookie, headers: { origin: ALLOWED, "sec-fetch-site": "cross-site" } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const client = await call("/api/auth/refresh", { method: "POST", cookie: refreshCookieFrom(allowed.headers) });
    expect(client.status).toBe(200);
  });

  it("refuses cross-site login (login CSRF) before any work", async () => {
    expectProblem(
      await call("/api/auth/login", {
        json: { email: "a@example.com", password: "whatever password here" },
        headers: { origin: EVIL, "sec-fetch-site": "cross-site" },
      }),
      403,
      "csrf_rejected",
    );
  });
});
