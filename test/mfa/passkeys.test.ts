// Passkeys with a software authenticator that makes real P-256 signatures: registering,
// listing, renaming, removing (recent sign-in), signing in with a passkey alone, and the
// attacks: wrong origin, wrong RP ID, no user verification, a replayed or reused
// challenge, a registration challenge used to sign in, a cloned authenticator (counter
// going back), another user's credential, tampered signature; 20 parallel uses of one
// assertion give one session.
import { describe, expect, it } from "vitest";
import { clock } from "../../src/clock";
import { call, expectProblem, refreshCookieFrom, signUp } from "../helpers";
import { SoftAuthenticator } from "./authenticator";

async function addPasskey(token: string, options: { counter?: number; name?: string } = {}) {
  const opts = await call("/api/me/passkeys/options", { json: options.name ? { name: options.name } : {}, token });
  expect(opts.status).toBe(200);
  const authenticator = await SoftAuthenticator.create(opts.body.user.id, { counter: options.counter });
  const res = await call("/api/me/passkeys", { json: { credential: await authenticator.register(opts.body) }, token });
  expect(res.status).toBe(201);
  return { authenticator, passkey: res.body, options: opts.body };
}

const signInOptions = async () => (await call("/api/auth/passkey/options", { json: {} })).body;

describe("registering passkeys", () => {
  it("offers discoverable, user-verifying creation options with attestation none and the RP from PUBLIC_URL", async () => {
    const { accessToken: token, user } = await signUp();
    const opts = await call("/api/me/passkeys/options", { json: { name: "Laptop" }, token });
    expect(opts.body).toMatchObject({
      rp: { id: "127.0.0.1", name: "Edge Auth" },
      attestation: "none",
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
      pubKeyCredParams: [
        { type: "public-key", alg: -8 },
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ],
      excludeCredentials: [],
    });
    expect(opts.body.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(atob(opts.body.user.id.replace(/-/g, "+").replace(/_/g, "/"))).toBe(user.id);
  });

  it("stores, lists, renames and (with a recent sign-in) removes a passkey", async () => {
    const { accessToken: token } = await signUp();
    const { passkey, authenticator } = await addPasskey(token, { name: "Laptop" });
    expect(passkey).toMatchObject({ name: "Laptop", deviceType: "single_device", backedUp: false, transports: ["internal", "hybrid"], lastUsedAt: null });
    // The next options exclude it, so the browser will not register it twice.
    expect((await call("/api/me/passkeys/options", { json: {}, token })).body.excludeCredentials).toEqual([
      { type: "public-key", id: authenticator.id, transports: ["internal", "hybrid"] },
    ]);
    expect((await call("/api/me/mfa", { token })).body.passkeys).toBe(1);
    const renamed = await call(`/api/me/passkeys/${passkey.id}`, { method: "PATCH", json: { name: "  Work phone " }, token });
    expect(renamed.body.name).toBe("Work phone");
    expect((await call("/api/me/passkeys", { token })).body.passkeys.map((p: { name: string }) => p.name)).toEqual(["Work phone"]);
    clock.advance(601_000);
    expectProblem(await call(`/api/me/passkeys/${passkey.id}`, { method: "DELETE", token }), 403, "reauthentication_required");
    clock.reset();
    expect((await call(`/api/me/passkeys/${passkey.id}`, { method: "DELETE", token })).status).toBe(204);
    expectProblem(await call(`/api/me/passkeys/${passkey.id}`, { method: "DELETE", token }), 404, "not_found");
    expect((await call("/api/me/passkeys", { token })).body.passkeys).toEqual([]);
  });

  it("refuses a registration from another origin, for another RP ID, without user verification, or replaying its challenge", async () => {
    const { accessToken: token } = await signUp();
    const cases = [{ origin: "https://evil.example" }, { rpId: "evil.example" }, { flags: { uv: false } }, { type: "webauthn.get" }];
    for (const override of cases) {
      const opts = (await call("/api/me/passkeys/options", { json: {}, token })).body;
      const a = await SoftAuthenticator.create(opts.user.id);
      expectProblem(await call("/api/me/passkeys", { json: { credential: await a.register(opts, override) }, token }), 400, "passkey_invalid");
    }
    const opts = (await call("/api/me/passkeys/options", { json: {}, token })).body;
    const a = await SoftAuthenticator.create(opts.user.id);
    expect((await call("/api/me/passkeys", { json: { credential: await a.register(opts) }, token })).status).toBe(201);
    const b = await SoftAuthenticator.create(opts.user.id);
    expectProblem(await call("/api/me/passkeys", { json: { credential: await b.register(opts) }, token }), 400, "passkey_invalid");
  });

  it("refuses another user's registration challenge, and bad bodies are 4xx", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const opts = (await call("/api/me/passkeys/options", { json: {}, token: alice.accessToken })).body;
    const a = await SoftAuthenticator.create(opts.user.id);
    expectProblem(await call("/api/me/passkeys", { json: { credential: await a.register(opts) }, token: mallory.accessToken }), 400, "passkey_invalid");
    for (const json of [
      {},
      { credential: {} },
      { credential: { id: "x", rawId: "x", type: "public-key", response: { clientDataJSON: "!!", attestationObject: "" } } },
      { credential: "x".repeat(70_000) },
    ]) {
      const res = await call("/api/me/passkeys", { json, token: alice.accessToken });
      expect([400, 413]).toContain(res.status);
    }
    const junk = { id: "AAAA", rawId: "AAAA", type: "public-key", response: { clientDataJSON: "e30", attestationObject: "oA" } };
    expectProblem(await call("/api/me/passkeys", { json: { credential: junk }, token: alice.accessToken }), 400, "passkey_invalid");
    expectProblem(await call("/api/me/passkeys/not-an-id", { method: "PATCH", json: { name: "x" }, token: alice.accessToken }), 404, "not_found");
    expectProblem(
      await call("/api/me/passkeys/AAAAAAAAAAAAAAAAAAAAAA", { method: "PATCH", json: { name: "\u202Eevil" }, token: alice.accessToken }),
      400,
      "validation_failed",
    );
  });
});

describe("signing in with a passkey", () => {
  it("signs in with a discoverable credential: tokens, cookie, amr hwk+user", async () => {
    const { accessToken: token, user } = await signUp();
    const { authenticator } = await addPasskey(token, { counter: 5 });
    const opts = await signInOptions();
    expect(opts).toMatchObject({ rpId: "127.0.0.1", userVerification: "required" });
    expect(opts.allowCredentials).toBeUndefined();
    const res = await call("/api/auth/passkey/verify", { json: { credential: await authenticator.assert(opts) } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
    refreshCookieFrom(res.headers);
    const payload = JSON.parse(atob(res.body.accessToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    expect(payload.amr).toEqual(["hwk", "user"]);
    expect((await call("/api/me/passkeys", { token })).body.passkeys[0].lastUsedAt).not.toBeNull();
  });

  it("refuses a replayed assertion, a reused challenge, a registration challenge, a counter that goes back, no UV, a bad signature", async () => {
    const { accessToken: token } = await signUp();
    const { authenticator, options: regOptions } = await addPasskey(token, { counter: 10 });
    const opts = await signInOptions();
    const good = await authenticator.assert(opts);
    expect((await call("/api/auth/passkey/verify", { json: { credential: good } })).status).toBe(200);
    expectProblem(await call("/api/auth/passkey/verify", { json: { credential: good } }), 400, "passkey_invalid");
    expectProblem(await call("/api/auth/passkey/verify", { json: { credential: await authenticator.assert(opts) } }), 400, "passkey_invalid");
    expectProblem(
      await call("/api/auth/passkey/verify", { json: { credential: await authenticator.assert({ challenge: regOptions.challenge, rpId: "127.0.0.1" }) } }),
      400,
      "passkey_invalid",
    );
    expectProblem(
      await call("/api/auth/passkey/verify", { json: { credential: await authenticator.assert(await signInOptions(), { counter: 3 }) } }),
      400,
      "passkey_invalid",
    );
    expectProblem(
      await call("/api/auth/passkey/verify", { json: { credential: await authenticator.assert(await signInOptions(), { flags: { uv: false } }) } }),
      400,
      "passkey_invalid",
    );
    expectProblem(
      await call("/api/auth/passkey/verify", { json: { credential: await authenticator.assert(await signInOptions(), { origin: "https://evil.example" }) } }),
      400,
      "passkey_invalid",
    );
    expectProblem(
      await call("/api/auth/passkey/verify", { json: { credential: await authenticator.assert(await signInOptions(), { rpId: "evil.example" }) } }),
      400,
      "passkey_invalid",
    );
    const tampered = await authenticator.assert(await signInOptions());
    const sig = tampered.response.signature;
    tampered.response.signature = sig.slice(0, 20) + (sig[20] === "A" ? "B" : "A") + sig.slice(21);
    expectProblem(await call("/api/auth/passkey/verify", { json: { credential: tampered } }), 400, "passkey_invalid");
    // After all that, an honest assertion still works.
    expect((await call("/api/auth/passkey/verify", { json: { credential: await authenticator.assert(await signInOptions()) } })).status).toBe(200);
  });

  it("refuses an assertion that claims another user's handle, or an unknown credential", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const { authenticator } = await addPasskey(alice.accessToken);
    const bobHandle = (await call("/api/me/passkeys/options", { json: {}, token: bob.accessToken })).body.user.id;
    expectProblem(
      await call("/api/auth/passkey/verify", { json: { credential: await authenticator.assert(await signInOptions(), { userHandle: bobHandle }) } }),
      400,
      "passkey_invalid",
    );
    const stranger = await SoftAuthenticator.create(bobHandle);
    expectProblem(await call("/api/auth/passkey/verify", { json: { credential: await stranger.assert(await signInOptions()) } }), 400, "passkey_invalid");
  });

  it("20 parallel submissions of one assertion give exactly one session", async () => {
    const { accessToken: token } = await signUp();
    const { authenticator } = await addPasskey(token);
    const credential = await authenticator.assert(await signInOptions());
    const results = await Promise.all(Array.from({ length: 20 }, () => call("/api/auth/passkey/verify", { json: { credential } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expectProblem(r, 400, "passkey_invalid");
  });
});
