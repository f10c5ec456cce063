// Calling AuthService the way another team's Worker does: through the auxiliary Worker
// (test/fixtures/other-worker.js), which reaches Edge Auth only by its AUTH service binding.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { AuthServiceApi } from "../../src/verifier/contract";

declare global {
  namespace Cloudflare {
    interface Env {
      OTHER: Fetcher;
    }
  }
}

/**
 * One RPC call through the other Worker's binding; fails the test if the method threw.
 * Arguments are `unknown`: the tests also send what no well-typed caller would.
 */
export async function rpc<M extends keyof AuthServiceApi>(method: M, ...args: unknown[]): Promise<Awaited<ReturnType<AuthServiceApi[M]>>> {
  const res = await env.OTHER.fetch("http://other/call", { method: "POST", body: JSON.stringify({ method, args }) });
  const body = (await res.json()) as { result: Awaited<ReturnType<AuthServiceApi[M]>>; thrown?: string };
  expect(body.thrown, `${method} threw across the binding`).toBeUndefined();
  expect(res.status).toBe(200);
  return body.result;
}
