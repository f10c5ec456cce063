// Minimal config so the password-hash tests and bench run inside workerd.
// The lead's full config (wrangler.toml bindings, D1 migrations) supersedes
// this; keep the compatibility settings in step with wrangler.toml.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      miniflare: {
        compatibilityDate: "2026-11-01",
        compatibilityFlags: ["nodejs_compat"],
        // Same as wrangler's default CompiledWasm rule: `import m from "x.wasm"`
        // yields a precompiled WebAssembly.Module, as in a deployed bundle.
        modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    benchmark: { include: ["bench/**/*.bench.ts"] },
  },
});
