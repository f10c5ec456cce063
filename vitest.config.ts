// Two projects, one command (`npm test`):
//  - workers: the API suite inside workerd with the real bindings from wrangler.toml (D1,
//    KV, Durable Objects, Queues). Migrations are applied by test/setup.ts; secrets are
//    made fresh here.
//  - web: browser journeys under Node: playwright-core drives Debian's Chromium against
//    `wrangler dev` (test/web/harness.ts starts and stops it). Needs `npm run build` first,
//    which `npm test` does.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { newSigningKey } from "./scripts/keys.mjs";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(new URL("./migrations", import.meta.url).pathname);
  return {
    test: {
      benchmark: { include: ["bench/**/*.bench.ts"] },
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  JWT_PRIVATE_KEYS: JSON.stringify([newSigningKey()]),
                  PASSWORD_PEPPER: "test-pepper-not-secret",
                },
                // Same as wrangler's default CompiledWasm rule: `import m from "x.wasm"`
                // yields a precompiled WebAssembly.Module, as in a deployed bundle.
                modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: ["test/web/**"],
            setupFiles: ["./test/setup.ts"],
            benchmark: { include: ["bench/**/*.bench.ts"] },
          },
        },
        {
          test: {
            name: "web",
            environment: "node",
            include: ["test/web/**/*.test.ts"],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            // One wrangler dev and one Chromium for the whole file; journeys run in order.
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
