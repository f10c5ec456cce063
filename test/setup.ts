import { applyD1Migrations, env } from "cloudflare:test";
import { afterEach, vi } from "vitest";
import { clock } from "../src/clock";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    }
  }
}

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

afterEach(() => {
  clock.reset();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
