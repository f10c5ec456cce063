// The API document is generated from the mounted routes (src/http/openapi.ts,
// src/http/openapi-document.ts): every mounted route carries a doc or says why it has
// none, and the document names nothing that is not mounted.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { describeRoutes, undocumented } from "../../src/http/openapi";
import { mountedOperations, type Operation, openApiDocument, openApiPath } from "../../src/http/openapi-document";
import { TWILIO_STATUS_PATH } from "../../src/messages/twilio";
import { call } from "../helpers";

const operations = mountedOperations(buildApp().routes);
const name = (op: Operation) => `${op.method} ${openApiPath(op.path)}`;
const doc = describeRoutes({ tags: ["Test"] })({ summary: "A test route.", responses: { 200: "OK" } });

describe("route docs: every mounted route", () => {
  it("every mounted route (method + path) is documented or marked undocumented with a reason", () => {
    expect(operations.filter((op) => !op.mark).map(name)).toEqual([]);
    const skipped = operations.flatMap((op) => (op.mark && "undocumented" in op.mark ? [{ route: name(op), reason: op.mark.undocumented }] : []));
    // Each exception is deliberate: adding one means adding it here, with its reason.
    expect(skipped.map((s) => s.route)).toEqual(["GET /api/docs"]);
    for (const { reason } of skipped) expect(reason.length).toBeGreaterThan(20);
  });

  it("every documented operation is mounted: the served document lists exactly the documented routes", async () => {
    const res = await call("/api/openapi.json");
    const served = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const documented = operations.filter((op) => op.mark && "doc" in op.mark).map(name);
    expect(served.sort()).toEqual(documented.sort());
    // The routes the hand-kept registry used to miss.
    expect(served).toEqual(expect.arrayContaining(["POST /api/auth/oauth/{provider}/callback", "GET /api/openapi.json"]));
  });

  it("the Twilio StatusCallback URL we hand out names a mounted, documented route", () => {
    expect(operations.filter((op) => op.mark && "doc" in op.mark).map(name)).toContain(`POST ${TWILIO_STATUS_PATH}`);
  });
});

describe("route docs: the walker", () => {
  it("Hono's :name and :name{regex} become OpenAPI {name} path parameters", () => {
    const app = new Hono();
    app.get("/a/:id{[0-9]{2,}}/b/:name", doc, (c) => c.text("ok"));
    const spec = openApiDocument(mountedOperations(app.routes), "Test");
    expect(Object.keys(spec.paths)).toEqual(["/a/{id}/b/{name}"]);
    expect((spec.paths["/a/{id}/b/{name}"]!.get as { parameters: { name: string; in: string }[] }).parameters).toEqual([
      expect.objectContaining({ name: "id", in: "path" }),
      expect.objectContaining({ name: "name", in: "path" }),
    ]);
  });

  it("middleware mounted with use() is not an endpoint; a doc on it, or two marks on one route, is refused", () => {
    const app = new Hono();
    app.use("/x", (_c, next) => next());
    app.get("/x", doc, (c) => c.text("ok"));
    expect(mountedOperations(app.routes).map(name)).toEqual(["GET /x"]);

    const onMiddleware = new Hono();
    onMiddleware.use("/y", doc);
    expect(() => mountedOperations(onMiddleware.routes)).toThrow(/middleware/);

    const twice = new Hono();
    twice.get("/z", doc, undocumented("a reason that is long enough"), (c) => c.text("ok"));
    expect(() => mountedOperations(twice.routes)).toThrow(/marked twice/);
  });

  it("a doc is found through a sub-app with its own onError, and the doc middleware passes the request through", async () => {
    const sub = new Hono();
    sub.onError((_e, c) => c.text("sub error", 500));
    sub.get("/w", doc, (c) => c.text("handled"));
    const app = new Hono().route("/s", sub);
    expect(mountedOperations(app.routes).map((op) => [name(op), Boolean(op.mark)])).toEqual([["GET /s/w", true]]);
    const res = await app.request("/s/w");
    expect(await res.text()).toBe("handled");
  });
});
