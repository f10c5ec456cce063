// Two projects, one command (`npm test`):
//  - edge-auth: the API suite inside workerd with the real bindings from wrangler.toml (D1,
//    KV, Durable Objects, Queues). Migrations are applied by test/setup.ts; secrets are
//    made fresh here.
//  - web: browser journeys under Node: playwright-core drives Debian's Chromium against
//    `wrangler dev` (test/web/harness.ts starts and stops it), plus the SPA's pure
//    helpers. `npm test` builds the SPA first.
import { generateKeyPairSync } from "node:crypto";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { mkdirSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { copyDataAssets } from "./scripts/data-assets.mjs";
import { newPepper, newSigningKey } from "./scripts/keys.mjs";
import { freePort } from "./scripts/local-server.mjs";

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
  // Data the Worker reads from its assets (the common-password list), even without a build.
  copyDataAssets();
  const migrations = await readD1Migrations(new URL("./migrations", import.meta.url).pathname);
  // Chosen here (the Worker's OIDC_ISSUER binding needs it) and handed to the global setup.
  process.env.OIDC_MOCK_PORT ??= String(await freePort());
  const appleKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  return {
    test: {
      // `npm run coverage`: istanbul instruments the sources at transform time, so it works
      // inside workerd (v8 coverage does not). Line coverage of the Worker (src/ outside the
      // SPA, which the browser journeys exercise in Chromium, not here).
      coverage: {
        provider: "istanbul",
        include: ["src/**/*.{ts,tsx}"],
        exclude: ["src/web/**", "src/**/*.d.ts"],
        reporter: ["text-summary", ["text", { skipFull: true }]],
        reportsDirectory: "coverage",
        reportOnFailure: true,
      },
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
                  MFA_ENCRYPTION_KEY: newPepper(),
                  // No test reaches the real HIBP API; test/auth/breached-password.test.ts switches it on with a stubbed fetch.
                  BREACHED_PASSWORD_CHECK: "off",
                  CORS_ORIGINS: "https://app.example.com",
                  // Social sign-in: every provider configured with test credentials. The generic
                  // OIDC provider points at a real local server (oauth2-mock-server); the others'
                  // fixed URLs are intercepted at fetch in the tests.
                  OIDC_ISSUER: `http://127.0.0.1:${process.env.OIDC_MOCK_PORT}`,
                  OIDC_CLIENT_ID: "edge-auth-test",
                  OIDC_CLIENT_SECRET: "oidc-test-secret",
                  OIDC_NAME: "Test IdP",
                  GOOGLE_CLIENT_ID: "google-client-id.apps.googleusercontent.com",
                  GOOGLE_CLIENT_SECRET: "google-secret",
                  GITHUB_CLIENT_ID: "github-client-id",
                  GITHUB_CLIENT_SECRET: "github-secret",
                  MICROSOFT_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
                  MICROSOFT_CLIENT_SECRET: "microsoft-secret",
                  MICROSOFT_TENANT: "common",
                  APPLE_CLIENT_ID: "com.example.edge-auth",
                  APPLE_TEAM_ID: "TEAM123456",
                  APPLE_KEY_ID: "KEY1234567",
                  APPLE_PRIVATE_KEY: appleKey,
                  FACEBOOK_CLIENT_ID: "facebook-app-id",
                  FACEBOOK_CLIENT_SECRET: "facebook-secret",
                  LINKEDIN_CLIENT_ID: "linkedin-client-id",
                  LINKEDIN_CLIENT_SECRET: "linkedin-secret",
                  AUTH0_DOMAIN: "edge-auth-test.eu.auth0.com",
                  AUTH0_CLIENT_ID: "auth0-client-id",
                  AUTH0_CLIENT_SECRET: "auth0-secret",
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
            globalSetup: ["./test/oidc-server.global.mjs"],
            // Tests that drive dozens of requests (lock-out budgets, bursts) take ~1 s on a quiet
            // machine and several on a loaded one; a timeout is for hangs, not for slow CPUs.
            testTimeout: 30_000,
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
            // A browser waiting on the Worker under a loaded machine: poll for up to 10 s, not 1 s.
            expect: { poll: { timeout: 10_000 } },
            // One wrangler dev and one Chromium for the journeys file; files run in turn.
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
