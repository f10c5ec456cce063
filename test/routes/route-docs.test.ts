// The API document is generated from the mounted routes (src/http/openapi.ts,
// src/http/openapi-document.ts): every mounted route is described or says why it is not,
// and every doc lands on a mounted route.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { describeRoute, placedMarks, undocumented } from "../../src/http/openapi";
import { markLabel, mountedOperations, type Operation, openApiDocument, openApiPath } from "../../src/http/openapi-document";
import { TWILIO_STATUS_PATH } from "../../src/messages/twilio";
import { call } from "../helpers";

// Taken before the walker tests below place marks of their own.
const appMarks = [...placedMarks()];
const { operations, unmounted } = mountedOperations(buildApp(), appMarks);
const name = (op: Operation) => `${op.method} ${openApiPath(op.path)}`;
const documented = operations.filter((op) => op.mark && "doc" in op.mark).map(name);
const doc = { summary: "A test route.", responses: { 200: "OK" } };

describe("route docs: the app", () => {
  it("every mounted route (method + path) is documented or marked undocumented with a reason", () => {
    expect(operations.filter((op) => !op.mark).map(name)).toEqual([]);
    const skipped = operations.flatMap((op) => (op.mark && "undocumented" in op.mark ? [{ route: name(op), reason: op.mark.undocumented }] : []));
    // Each exception is deliberate: adding one means adding it here, with its reason.
    expect(skipped.map((s) => s.route)).toEqual(["GET /api/docs"]);
    for (const { reason } of skipped) expect(reason.length).toBeGreaterThan(20);
  });

  it("every doc is on a mounted route, and the served document lists exactly the documented routes", async () => {
    expect(unmounted.map(markLabel)).toEqual([]);
    expect(appMarks.length).toBe(operations.length);
    const res = await call("/api/openapi.json");
    const served = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(served.sort()).toEqual([...documented].sort());
    // The routes the hand-kept registry used to miss.
    expect(served).toEqual(expect.arrayContaining(["POST /api/auth/oauth/{provider}/callback", "GET /api/openapi.json"]));
  });

  it("the Twilio StatusCallback URL we hand out names a mounted, documented route", () => {
    expect(documented).toContain(`POST ${TWILIO_STATUS_PATH}`);
  });
});

describe("route docs: the walker", () => {
  // Marks are recorded module-wide: each case walks only the marks it placed itself.
  let from = 0;
  const fresh = () => {
    from = placedMarks().length;
    return new Hono();
  };
  const walk = (app: Hono) => mountedOperations(app, placedMarks().slice(from));

  it("a doc lands on the route after it, under its mounted path; :name and :name{regex} become {name}", () => {
    const sub = fresh();
    describeRoute(sub, { ...doc, tags: ["Test"] });
    sub.get(
      "/a/:id{[0-9]{2,}}/b/:name",
      (_c, next) => next(),
      (c) => c.text("ok"),
    );
    sub.post("/plain", (c) => c.text("ok"));
    const app = new Hono();
    app.use("*", (_c, next) => next());
    app.route("/api/sub", sub);
    const { operations: ops, unmounted: none } = walk(app);
    expect(none).toEqual([]);
    expect(ops.map((op) => [name(op), Boolean(op.mark)])).toEqual([
      ["GET /api/sub/a/{id}/b/{name}", true],
      ["POST /api/sub/plain", false],
    ]);
    const spec = openApiDocument(ops, "Test");
    expect(Object.keys(spec.paths)).toEqual(["/api/sub/a/{id}/b/{name}"]);
    expect((spec.paths["/api/sub/a/{id}/b/{name}"]!.get as { tags: string[]; parameters: { name: string; in: string }[] }).parameters).toEqual([
      expect.objectContaining({ name: "id", in: "path" }),
      expect.objectContaining({ name: "name", in: "path" }),
    ]);
  });

  it("refuses a doc before middleware, a doc before nothing, and two marks on one route", () => {
    const onMiddleware = fresh();
    describeRoute(onMiddleware, doc);
    onMiddleware.use("/y", (_c, next) => next());
    expect(() => walk(onMiddleware)).toThrow(/middleware/);

    const trailing = fresh();
    describeRoute(trailing, doc);
    expect(() => walk(trailing)).toThrow(/no route follows/);

    const twice = fresh();
    describeRoute(twice, doc);
    undocumented(twice, "a reason that is long enough");
    twice.get("/z", (c) => c.text("ok"));
    expect(() => walk(twice)).toThrow(/marked twice/);
  });

  it("a doc is found through a sub-app with its own onError; a sub-app that is not mounted is reported", () => {
    const sub = fresh();
    sub.onError((_e, c) => c.text("sub error", 500));
    describeRoute(sub, doc);
    sub.get("/w", (c) => c.text("handled"));
    const app = new Hono().route("/s", sub);
    const found = walk(app);
    expect(found.operations.map((op) => [name(op), Boolean(op.mark)])).toEqual([["GET /s/w", true]]);
    expect(found.unmounted).toEqual([]);
    expect(walk(new Hono()).unmounted.map((m) => m.app)).toContain(sub);
  });
});
