// Durable Object round trips of the hot paths (docs/architecture.md §8): every RPC call a
// request makes on a Limiter or SessionFence stub, counted through a wrapped namespace,
// including the work it leaves to waitUntil. A new round trip on these paths fails here.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { clock } from "../../src/clock";
import worker from "../../src/index";
import { statusCounts } from "../abuse-helpers";
import { buildRequest, type CallOptions, expectProblem, randomIp, readResponse, signUp, STRONG_PASSWORD } from "../helpers";
import { expectChallenge, signUpWithTotp } from "../mfa/helpers";

vi.setConfig({ testTimeout: 30_000 });

/** A namespace whose stubs log each method call as "<label>.<method>". */
function counting<T extends Rpc.DurableObjectBranded | undefined>(ns: DurableObjectNamespace<T>, label: string, calls: string[]): DurableObjectNamespace<T> {
  const stubOf = (stub: DurableObjectStub<T>) =>
    new Proxy(stub, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (typeof value !== "function" || prop === "then") return value;
        return (...args: unknown[]) => {
          calls.push(`${label}.${String(prop)}`);
          return Reflect.apply(value, target, args);
        };
      },
    });
  return new Proxy(ns, {
    get(target, prop) {
      if (prop === "get") return (id: DurableObjectId) => stubOf(target.get(id));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** One request through the Worker, and the Durable Object calls it made (waitUntil work included). */
async function countCalls(path: string, options: CallOptions = {}) {
  const calls: string[] = [];
  const counted = { ...env, LIMITER: counting(env.LIMITER, "Limiter", calls), SESSIONS: counting(env.SESSIONS, "SessionFence", calls) } as Env;
  const ctx = createExecutionContext();
  const res = await readResponse(await worker.fetch(buildRequest(path, options) as Request<unknown, IncomingRequestCfProperties>, counted, ctx));
  await waitOnExecutionContext(ctx);
  return { res, calls };
}

describe("password sign-in", () => {
  it("makes at most 3 Durable Object round trips on success: rate limit, lock-out, session with its device", async () => {
    const { email } = await signUp();
    const { res, calls } = await countCalls("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    expect(res.status).toBe(200);
    expect(calls).toEqual(["Limiter.hitAll", "Limiter.settleSignIn", "SessionFence.create"]);
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it("an IPv6 client's /64 and /48 rules are charged in one object, so it is 3 as well", async () => {
    const { email } = await signUp();
    const headers = { "cf-connecting-ip": `2001:db8:${(Math.random() * 0xffff) | 0}:7::1` };
    const { res, calls } = await countCalls("/api/auth/login", { json: { email, password: STRONG_PASSWORD }, headers });
    expect(res.status).toBe(200);
    expect(calls).toEqual(["Limiter.hitAll", "Limiter.settleSignIn", "SessionFence.create"]);
  });

  it("with two-step verification on, the first step is 3 too: rate limit, lock-out, the challenge", async () => {
    const { email } = await signUpWithTotp();
    const { res, calls } = await countCalls("/api/auth/login", { json: { email, password: STRONG_PASSWORD } });
    expectChallenge(res);
    expect(calls).toEqual(["Limiter.hitAll", "Limiter.settleSignIn", "Limiter.openMfa"]);
  });

  it("a wrong password is settled in the same one lock-out call", async () => {
    const { email } = await signUp();
    const { res, calls } = await countCalls("/api/auth/login", { json: { email, password: "not the right password at all" } });
    expect(res.status).toBe(401);
    expect(calls).toEqual(["Limiter.hitAll", "Limiter.settleSignIn"]);
  });
});

describe("refresh", () => {
  it("rotates in one round trip: the session object, no rate-limit charge for a token that works", async () => {
    const { cookie } = await signUp();
    const { res, calls } = await countCalls("/api/auth/refresh", { method: "POST", cookie });
    expect(res.status).toBe(200);
    expect(calls).toEqual(["SessionFence.rotate"]);
  });

  it("charges failures, and a client over the limit is refused without reaching any object", async () => {
    const ip = randomIp();
    const made = (i: number) => ({
      method: "POST",
      json: { refreshToken: `u_${"a".repeat(20)}.${"b".repeat(20)}.${String(i).padStart(43, "x")}` },
      headers: { "cf-connecting-ip": ip },
    });
    const first = await countCalls("/api/auth/refresh", made(0));
    expect(first.res.status).toBe(401);
    expect(first.calls.filter((c) => c === "Limiter.hitAll")).toHaveLength(1);
    const statuses = await Promise.all(Array.from({ length: 80 }, (_, i) => countCalls("/api/auth/refresh", made(i + 1))));
    expect(statusCounts(statuses.map((s) => s.res.status))).toEqual({ 401: 59, 429: 21 });
    const refused = await countCalls("/api/auth/refresh", made(99));
    expectProblem(refused.res, 429, "rate_limited");
    expect(Number(refused.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.calls).toEqual([]);
    // Once the window has passed, the client is heard again.
    clock.advance(60_001);
    expect((await countCalls("/api/auth/refresh", made(100))).res.status).toBe(401);
  });
});
