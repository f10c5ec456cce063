// GET/PATCH /api/me: name, username, language, time zone; username sign-in.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectProblem, signUp, STRONG_PASSWORD, uniqueEmail } from "../helpers";
import { expectNoStoreChange } from "../store-snapshot";
import { insertUsers, sessionFor, uniqueUsername } from "./helpers";

const patch = (token: string, json: unknown) => call("/api/me", { method: "PATCH", json, token });

describe("GET/PATCH /api/me", () => {
  it("GET adds username, avatarUrl, locale, timeZone (null until set)", async () => {
    const { accessToken } = await signUp();
    const me = await call("/api/me", { token: accessToken });
    expect(me.body).toMatchObject({ username: null, avatarUrl: null, locale: null, timeZone: null, deletionScheduledAt: null });
  });

  it("PATCH edits the profile; the username is stored lower-cased and the zone canonical", async () => {
    const { accessToken, user } = await signUp();
    const name = uniqueUsername("Edit").replace("edit", "EdIt");
    const res = await patch(accessToken, { name: "  Ada Lovelace ", username: name, locale: "es", timeZone: "europe/madrid" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, name: "Ada Lovelace", username: name.toLowerCase(), locale: "es", timeZone: "Europe/Madrid" });
    expect((await call("/api/me", { token: accessToken })).body).toMatchObject({ username: name.toLowerCase(), locale: "es", timeZone: "Europe/Madrid" });
    const audit = await env.DB.prepare("select detail from audit_events where user_id = ? and type = 'profile.updated'")
      .bind(user.id)
      .first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toEqual({ fields: "name,username,locale,timeZone" });
    // null clears; an absent field is left alone.
    const cleared = await patch(accessToken, { username: null, timeZone: null });
    expect(cleared.body).toMatchObject({ name: "Ada Lovelace", username: null, locale: "es", timeZone: null });
  });

  it("a username taken in another case is 409 username_taken, nothing changed", async () => {
    const [a, b] = await insertUsers(2);
    const name = uniqueUsername("taken");
    expect((await patch((await sessionFor(a!)).accessToken, { username: name })).status).toBe(200);
    const token = (await sessionFor(b!)).accessToken;
    await expectNoStoreChange(async () => expectProblem(await patch(token, { username: name.toUpperCase(), name: "Other" }), 409, "username_taken"));
  });

  it("20 parallel PATCHes claiming one username: exactly one 200, 19 username_taken", async () => {
    const ids = await insertUsers(20);
    const tokens = await Promise.all(ids.map(async (id) => (await sessionFor(id)).accessToken));
    const name = uniqueUsername("rush");
    const results = await Promise.all(tokens.map((t) => patch(t, { username: name })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === "username_taken")).toHaveLength(19);
  });

  it("bad input is a 4xx and changes nothing", async () => {
    const [id] = await insertUsers(1);
    const token = (await sessionFor(id!)).accessToken;
    const cases: [unknown, string][] = [
      [{ username: "admin" }, "username"],
      [{ username: "Ad.Min" }, "username"],
      [{ username: "ab" }, "username"],
      [{ username: "x".repeat(31) }, "username"],
      [{ username: "al ice" }, "username"],
      [{ username: "ａｌｉｃｅ" }, "username"],
      [{ username: "ali\u200bce" }, "username"],
      [{ username: "alice@example.com" }, "username"],
      [{ username: 42 }, "username"],
      [{ locale: "fr" }, "locale"],
      [{ locale: ["es"] }, "locale"],
      [{ timeZone: "+01:00" }, "timeZone"],
      [{ timeZone: "Mars/Olympus_Mons" }, "timeZone"],
      [{ timeZone: "x".repeat(65) }, "timeZone"],
      [{ timeZone: "" }, "timeZone"],
      [{ name: "a".repeat(101) }, "name"],
      [{ name: "bad\u202ename" }, "name"],
    ];
    await expectNoStoreChange(async () => {
      for (const [body, path] of cases) {
        const res = await patch(token, body);
        expectProblem(res, 400, "validation_failed");
        expect(
          res.body.errors.map((e: { path: string }) => e.path),
          JSON.stringify(body),
        ).toContain(path);
      }
      expectProblem(await call("/api/me", { method: "PATCH", body: "{", headers: { "content-type": "application/json" }, token }), 400, "invalid_json");
      expectProblem(
        await call("/api/me", { method: "PATCH", body: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" }, token }),
        415,
        "unsupported_media_type",
      );
      expectProblem(await call("/api/me", { method: "PATCH", json: [], token }), 400, "validation_failed");
      expectProblem(await call("/api/me", { method: "PATCH", json: { name: "x".repeat(70 * 1024) }, token }), 413, "payload_too_large");
      expectProblem(await call("/api/me", { method: "PATCH", json: { name: "x" } }), 401, "unauthorized");
    });
  });
});

describe("sign-in with a username", () => {
  it("the username works in place of the email", async () => {
    const { accessToken, email } = await signUp();
    const name = uniqueUsername("login");
    await patch(accessToken, { username: name });
    const res = await call("/api/auth/login", { json: { username: name.toUpperCase(), password: STRONG_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(email);
  });

  it("unknown username, wrong password and unknown email answer alike", async () => {
    const { accessToken } = await signUp();
    const name = uniqueUsername("same");
    await patch(accessToken, { username: name });
    const wrong = await call("/api/auth/login", { json: { username: name, password: "not the password at all" } });
    const unknownName = await call("/api/auth/login", { json: { username: uniqueUsername("nobody"), password: "not the password at all" } });
    const unknownEmail = await call("/api/auth/login", { json: { email: uniqueEmail(), password: "not the password at all" } });
    for (const r of [wrong, unknownName, unknownEmail]) expectProblem(r, 401, "invalid_credentials");
    expect(unknownName.body).toEqual(wrong.body);
    expect(unknownEmail.body).toEqual(wrong.body);
    expect([...unknownName.headers.keys()].sort()).toEqual([...wrong.headers.keys()].sort());
  });

  it("a malformed username is a 400 before any lookup", async () => {
    expectProblem(await call("/api/auth/login", { json: { username: "a b", password: "x" } }), 400, "validation_failed");
  });
});
