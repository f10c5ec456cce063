// Health, published keys, API documents, and the development-only outbox.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { mountedOperations, openApiDocument } from "../../src/http/openapi-document";
import { call, expectProblem, signUp } from "../helpers";

/** Calls the app directly with a modified environment (SELF always has the wrangler.toml one). */
async function callWith(overrides: Partial<Env>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await buildApp().request(`http://127.0.0.1:8787${path}`, init, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const failing = () => {
  throw new Error("store down");
};

describe("GET /health", () => {
  it("200 with every check ok", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: "ok",
      checks: { d1: "ok", kv: "ok", signingKeys: "ok", email: "ok", sms: "ok", whatsapp: "ok", telegram: "ok", orgRoleTemplate: "ok", registrationMode: "ok" },
    });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("503 naming the failing store", async () => {
    const badDb = { prepare: failing } as unknown as D1Database;
    const d1Down = await callWith({ DB: badDb }, "/health");
    expect(d1Down.status).toBe(503);
    expect(await d1Down.json()).toMatchObject({ status: "error", checks: { d1: "error", kv: "ok", signingKeys: "ok" } });
    const badKv = { get: async () => failing() } as unknown as KVNamespace;
    const kvDown = await callWith({ KV: badKv }, "/health");
    expect(kvDown.status).toBe(503);
    expect(await kvDown.json()).toMatchObject({ status: "error", checks: { d1: "ok", kv: "error", signingKeys: "ok" } });
  });
});

describe("GET /.well-known/jwks.json", () => {
  it("publishes the public keys only", async () => {
    const res = await call("/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    const privateKeys = JSON.parse(env.JWT_PRIVATE_KEYS) as { kid: string }[];
    expect(res.body.keys.map((k: { kid: string }) => k.kid)).toEqual(privateKeys.map((k) => k.kid));
    for (const key of res.body.keys) {
      for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(secret);
      expect(key).toMatchObject({ kid: expect.any(String), alg: expect.stringMatching(/^(EdDSA|ES256)$/), use: "sig", kty: expect.any(String) });
    }
  });

  it("also publishes retired public keys", async () => {
    const retired = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", kid: "retired-1", alg: "EdDSA" };
    const res = await callWith({ JWT_RETIRED_PUBLIC_KEYS: JSON.stringify([retired]) }, "/.well-known/jwks.json");
    const body = (await res.json()) as { keys: { kid: string }[] };
    expect(body.keys.map((k) => k.kid)).toContain("retired-1");
  });
});

describe("API documents", () => {
  it("GET /api/openapi.json: OpenAPI 3.1 with every route of the API", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const operations = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const op of [
      "POST /api/auth/register",
      "POST /api/auth/verify-email",
      "POST /api/auth/resend-verification",
      "POST /api/auth/login",
      "POST /api/auth/refresh",
      "POST /api/auth/logout",
      "POST /api/auth/password/forgot",
      "POST /api/auth/password/reset",
      "POST /api/me/password",
      "GET /api/me",
      "GET /health",
      "GET /.well-known/jwks.json",
      "GET /api/dev/outbox",
      "GET /api/ping",
      "GET /api/me/token",
      "POST /api/webhooks/twilio/status",
      "GET /api/webhooks/meta/whatsapp",
      "POST /api/webhooks/meta/whatsapp",
      "POST /api/auth/oauth/{provider}/callback",
      "GET /api/openapi.json",
    ]) {
      expect(operations).toContain(op);
    }
    // The request schemas are the validating zod schemas.
    const register = res.body.paths["/api/auth/register"].post.requestBody.content["application/json"].schema;
    expect(register.required).toEqual(expect.arrayContaining(["email", "password"]));
    expect(res.body.components.schemas.Problem.required).toContain("code");
    // The served file is what the mounted routes produce now: the build is not stale.
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument(mountedOperations(buildApp()).operations, "Edge Auth"))));
  });

  it("GET /api/docs: an HTML page", async () => {
    const res = await call("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.text).toMatch(/<html/i);
    expect(res.text).toContain("/api/openapi.json");
  });
});

describe("GET /api/dev/outbox", () => {
  it("development: lists messages; 400 without a valid `to`", async () => {
    expect((await call("/api/dev/outbox?to=nobody@example.com")).body).toEqual({ messages: [] });
    expectProblem(await call("/api/dev/outbox"), 400, "validation_failed");
  });

  it("404 not_found in any other environment", async () => {
    for (const ENVIRONMENT of ["production", "staging", ""]) {
      const res = await callWith({ ENVIRONMENT }, "/api/dev/outbox?to=ann@example.com");
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: "not_found" });
    }
  });
});

describe("unknown paths and methods", () => {
  it("404 problem+json", async () => {
    expectProblem(await call("/api/nope"), 404, "not_found");
    expectProblem(await call("/api/auth/login"), 404, "not_found");
  });
});

describe("GET /api/ping and GET /api/me/token (the benchmark baselines)", () => {
  it("ping: 200 {status: ok}", async () => {
    const res = await call("/api/ping");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("me/token: the verified claims of the caller's token; 401 without one", async () => {
    const { accessToken, user } = await signUp();
    const res = await call("/api/me/token", { token: accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: user.id, sessionId: expect.any(String), expiresAt: expect.stringMatching(/^\d{4}-/) });
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expectProblem(await call("/api/me/token"), 401, "unauthorized");
    expectProblem(await call("/api/me/token", { token: `${accessToken}x` }), 401, "invalid_token");
  });
});
