// Two projects, one command (`npm test`):
//  - edge-auth: the API suite inside workerd with the real bindings from wrangler.toml (D1,
//    KV, Durable Objects, Queues). Migrations are applied by test/setup.ts; secrets are
//    made fresh here.
//  - web: browser journeys under Node: playwright-core drives Debian's Chromium against
//    `wrangler dev` (test/web/harness.ts starts and stops it), plus the SPA's pure
//    helpers. Needs `npm run build` first, which `npm test` does.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { mkdirSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { newSigningKey } from "./scripts/keys.mjs";

// The vitest project name; the plugin runs the Worker under test as
// "vitest-plugin-runner-<project name>", which is the name an auxiliary Worker binds to.
const PROJECT = "edge-auth";
// `vitest bench` runs the benchmarks as a separate project named "<name> (bench)", whose
// runner Worker has another name, so the auxiliary Worker's AUTH binding would point at
// nothing and workerd would refuse to start. The benchmarks do not use it: leave it out.
const BENCHMARKING = process.argv.slice(2).includes("bench");

export default defineConfig(async () => {
  // wrangler.toml names ./public as the assets directory; it must exist even before a build.
  mkdirSync(new URL("./public", import.meta.url), { recursive: true });
  const migrations = await readD1Migrations(new URL("./migrations", import.meta.url).pathname);
  return {
    test: {
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
                // The tests reach "another team's Worker" through OTHER; it reaches Edge Auth only
                // through its own AUTH service binding to the AuthService entrypoint, as in production.
                serviceBindings: BENCHMARKING ? {} : { OTHER: "other-worker" },
                workers: BENCHMARKING
                  ? []
                  : [
                      {
                        name: "other-worker",
                        modules: true,
                        scriptPath: "./test/fixtures/other-worker.js",
                        compatibilityDate: "2026-11-01",
                        serviceBindings: { AUTH: { name: `vitest-plugin-runner-${PROJECT}`, entrypoint: "AuthService" } },
                      },
                    ],
              },
            }),
          ],
          test: {
            name: PROJECT,
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
            benchmark: { include: [] },
            testTimeout: 60_000,
            hookTimeout: 120_000,
            // One wrangler dev and one Chromium for the journeys file; files run in turn.
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
