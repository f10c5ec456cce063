// Tests run inside workerd with the real bindings from wrangler.toml (D1, KV, Durable
// Objects, Queues). Migrations are applied by test/setup.ts; secrets are made fresh here.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { mkdirSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { newSigningKey } from "./scripts/keys.mjs";

export default defineConfig(async () => {
  // wrangler.toml names ./public as the assets directory; it must exist even before a build.
  mkdirSync(new URL("./public", import.meta.url), { recursive: true });
  const migrations = await readD1Migrations(new URL("./migrations", import.meta.url).pathname);
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            JWT_PRIVATE_KEYS: JSON.stringify([newSigningKey()]),
            PASSWORD_PEPPER: "test-pepper-not-secret",
            // No test reaches the real HIBP API; test/auth/breached-password.test.ts switches it on with a stubbed fetch.
            BREACHED_PASSWORD_CHECK: "off",
            CORS_ORIGINS: "https://app.example.com",
          },
          // Same as wrangler's default CompiledWasm rule: `import m from "x.wasm"`
          // yields a precompiled WebAssembly.Module, as in a deployed bundle.
          modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      setupFiles: ["./test/setup.ts"],
      benchmark: { include: ["bench/**/*.bench.ts"] },
    },
  };
});
