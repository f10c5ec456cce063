// PUT/DELETE /api/me/avatar and GET /api/avatars/:key, with R2 as it is bound in wrangler.toml.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectProblem } from "../helpers";
import { expectNoStoreChange } from "../store-snapshot";
import { insertUsers, sessionFor } from "./helpers";
import { jpeg, png, webpLossless } from "./images";

const upload = (token: string | undefined, body: BodyInit, type?: string, headers: Record<string, string> = {}) =>
  call("/api/me/avatar", { method: "PUT", body, token, headers: { ...(type ? { "content-type": type } : {}), ...headers } });
const keyOf = (url: string) => url.split("/").pop()!;
const objectCount = async () => (await env.AVATARS.list({ prefix: "avatars/" })).objects.length;

async function signedIn() {
  const [id] = await insertUsers(1);
  return { id: id!, token: (await sessionFor(id!)).accessToken };
}

async function eventually(check: () => Promise<boolean>) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("condition never held");
}

describe("avatar", () => {
  it("uploads a PNG, serves it as an immutable sandboxed image, and shows it on /api/me", async () => {
    const { token } = await signedIn();
    const bytes = png(256, 256);
    const res = await upload(token, bytes, "image/png");
    expect(res.status).toBe(200);
    expect(res.body.avatarUrl).toMatch(/^\/api\/avatars\/[A-Za-z0-9_-]{43}$/);
    expect((await call("/api/me", { token })).body.avatarUrl).toBe(res.body.avatarUrl);

    const served = await call(res.body.avatarUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toMatch(/(^|; )sandbox(;|$)/);
    expect(served.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const again = await call(res.body.avatarUrl, { headers: { "if-none-match": served.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("the stored type comes from the bytes: JPEG and WebP too", async () => {
    const { token } = await signedIn();
    for (const [bytes, type] of [
      [jpeg(100, 80), "image/jpeg"],
      [webpLossless(64, 64), "image/webp"],
    ] as const) {
      const res = await upload(token, bytes, `${type}; charset=binary`);
      expect(res.status).toBe(200);
      const served = await call(res.body.avatarUrl);
      expect(served.headers.get("content-type")).toBe(type);
    }
  });

  it("a new upload gets a new URL and deletes the old object; DELETE removes it", async () => {
    const { token, id } = await signedIn();
    const first = (await upload(token, png(10, 10), "image/png")).body.avatarUrl;
    const second = (await upload(token, png(20, 20), "image/png")).body.avatarUrl;
    expect(second).not.toBe(first);
    await eventually(async () => (await env.AVATARS.head(`avatars/${keyOf(first)}`)) === null);
    expectProblem(await call(first), 404, "not_found");
    expect((await call(second)).status).toBe(200);

    expect((await call("/api/me/avatar", { method: "DELETE", token })).status).toBe(204);
    expect(await env.AVATARS.head(`avatars/${keyOf(second)}`)).toBeNull();
    expect((await call("/api/me", { token })).body.avatarUrl).toBeNull();
    expect((await call("/api/me/avatar", { method: "DELETE", token })).status).toBe(204);
    const types = (await env.DB.prepare("select type from audit_events where user_id = ? order by created_at").bind(id).all<{ type: string }>()).results.map(
      (r) => r.type,
    );
    expect(types).toEqual(["avatar.changed", "avatar.changed", "avatar.removed"]);
  });

  it("parallel uploads leave exactly one object for the user (no orphan)", async () => {
    const { token, id } = await signedIn();
    const before = await objectCount();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => upload(token, png(10 + i, 10), "image/png")));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const row = await env.DB.prepare("select avatar_key from users where id = ?").bind(id).first<{ avatar_key: string }>();
    await eventually(async () => (await objectCount()) === before + 1);
    expect(await env.AVATARS.head(`avatars/${row!.avatar_key}`)).not.toBeNull();
  });

  it("bad uploads: 415 for a non-image type, 400 invalid_image for lying or oversized images, 413 over 2 MB; nothing stored", async () => {
    // One account per case: the upload budget (5 a minute) counts refused uploads too.
    const ids = await insertUsers(14);
    const tokens = await Promise.all(ids.map(async (id) => (await sessionFor(id)).accessToken));
    const before = await objectCount();
    const html = new TextEncoder().encode("<html><script>alert(document.cookie)</script></html>");
    const huge = new Uint8Array(2 * 1024 * 1024 + 1);
    huge.set(png(10, 10));
    const cases: [BodyInit, string | undefined, number, string][] = [
      [html, "text/html", 415, "unsupported_image_type"],
      [png(10, 10), "image/svg+xml", 415, "unsupported_image_type"],
      [png(10, 10), "application/json", 415, "unsupported_image_type"],
      [png(10, 10), undefined, 415, "unsupported_image_type"],
      [html, "image/png", 400, "invalid_image"],
      [jpeg(10, 10), "image/png", 400, "invalid_image"],
      [new Uint8Array(0), "image/png", 400, "invalid_image"],
      [png(4097, 10), "image/png", 400, "invalid_image"],
      [jpeg(10, 4097), "image/jpeg", 400, "invalid_image"],
      [webpLossless(4097, 4097), "image/webp", 400, "invalid_image"],
      [png(0, 0), "image/png", 400, "invalid_image"],
      [huge, "image/png", 413, "payload_too_large"],
    ];
    await expectNoStoreChange(async () => {
      for (const [i, [body, type, status, code]] of cases.entries()) expectProblem(await upload(tokens[i], body, type), status, code);
      expectProblem(await upload(undefined, png(10, 10), "image/png"), 401, "unauthorized");
    });
    expect(await objectCount()).toBe(before);
  });

  it("uploads are rate limited per account: a burst of 4x the budget admits exactly 5", async () => {
    const { token } = await signedIn();
    const results = await Promise.all(Array.from({ length: 20 }, () => upload(token, png(8, 8), "image/png")));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(15);
  });

  it("exactly 2 MB is accepted; the 2 MB allowance is for this route only", async () => {
    const { token } = await signedIn();
    const max = new Uint8Array(2 * 1024 * 1024);
    max.set(png(10, 10));
    expect((await upload(token, max, "image/png")).status).toBe(200);
    // Any other route keeps the 64 KiB limit, whatever its method.
    expectProblem(
      await call("/api/me", { method: "PATCH", body: new Uint8Array(100 * 1024), headers: { "content-type": "application/json" }, token }),
      413,
      "payload_too_large",
    );
    expectProblem(
      await call("/api/me/avatar/x", { method: "PUT", body: new Uint8Array(100 * 1024), headers: { "content-type": "image/png" }, token }),
      413,
      "payload_too_large",
    );
  });

  it("GET /api/avatars/:key: 404 for malformed and unknown keys", async () => {
    expectProblem(await call("/api/avatars/..%2Fsecret"), 404, "not_found");
    expectProblem(await call("/api/avatars/short"), 404, "not_found");
    expectProblem(await call(`/api/avatars/${"A".repeat(43)}`), 404, "not_found");
  });
});
