import { applyD1Migrations, env } from "cloudflare:test";
import { afterEach, beforeEach, vi } from "vitest";
import { clock } from "../src/clock";
import { startIntercepting, stopIntercepting } from "./http-intercept";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    }
  }
}

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

beforeEach(startIntercepting);

afterEach(() => {
  clock.reset();
  vi.restoreAllMocks();
  stopIntercepting();
});
