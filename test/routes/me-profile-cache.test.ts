// GET /api/me reads the profile through a short-lived per-isolate cache (no D1 round trip
// on a hit). What it may serve stale, and for how long, is exactly what these pin down.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { invalidateProfile, PROFILE_CACHE_TTL_MS } from "../../src/storage/profile-cache";
import { call, expectProblem, signUp } from "../helpers";

const rename = (id: string, name: string) => env.DB.prepare("update users set name = ? where id = ?").bind(name, id).run();

describe("GET /api/me profile cache", () => {
  it("a hit does not read D1; invalidateProfile makes the next read fresh", async () => {
    const { accessToken } = await signUp();
    const first = await call("/api/me", { token: accessToken });
    expect(first.status).toBe(200);
    const id = first.body.id as string;

    // Changed behind the cache's back (no invalidation): still the cached name, so no D1 read happened.
    await rename(id, "Changed Directly");
    expect((await call("/api/me", { token: accessToken })).body.name).toBe(first.body.name);

    invalidateProfile(env, id);
    expect((await call("/api/me", { token: accessToken })).body.name).toBe("Changed Directly");
  });

  it("never older than the TTL, even without an invalidation", async () => {
    const { accessToken } = await signUp();
    const id = (await call("/api/me", { token: accessToken })).body.id as string;
    await rename(id, "After The Ttl");
    // Half the TTL later (real time adds milliseconds, far from the other half): still cached.
    clock.advance(PROFILE_CACHE_TTL_MS / 2);
    expect((await call("/api/me", { token: accessToken })).body.name).not.toBe("After The Ttl");
    clock.advance(PROFILE_CACHE_TTL_MS / 2);
    expect((await call("/api/me", { token: accessToken })).body.name).toBe("After The Ttl");
  });

  it("a disabled account is refused once invalidated (and within the TTL without)", async () => {
    const { accessToken } = await signUp();
    const id = (await call("/api/me", { token: accessToken })).body.id as string;
    await env.DB.prepare("update users set disabled_at = ? where id = ?").bind(clock.now(), id).run();
    invalidateProfile(env, id);
    expectProblem(await call("/api/me", { token: accessToken }), 401, "invalid_token");
  });

  it("each user sees only their own profile", async () => {
    const [a, b] = await Promise.all([signUp(), signUp()]);
    const [meA, meB] = await Promise.all([call("/api/me", { token: a.accessToken }), call("/api/me", { token: b.accessToken })]);
    expect(meA.body.email).toBe(a.email);
    expect(meB.body.email).toBe(b.email);
    expect((await call("/api/me", { token: a.accessToken })).body.email).toBe(a.email);
  });
});
