// The purge job removes a deleted account from EVERY store. This test gives one user
// everything the service can hold about someone — password and its history, a verified
// phone, a completed and a pending email change, a username, time zone and language, an
// avatar, sessions and devices, failed sign-ins, pending codes and links, dev-outbox
// messages, audit events — then runs the purge and checks:
//   D1   every table in the database (read from sqlite_master, so tables added later are
//        covered): no row mentions the user id, any of their emails, their phone or
//        username; the audit rows remain, under an anonymous id, without IP, agent,
//        place, session or detail
//   KV   every key and value: none holds those identifiers or their SHA-256 (keys are hashed)
//   DO   the user's SessionFence, the sign-in Limiter of each email and the code-attempt
//        Limiters of each (purpose, target): empty storage
//   R2   the avatar object is gone
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { purgeAccount, purgeDueAccounts } from "../../src/auth/account-purge";
import { runMaintenance } from "../../src/auth/maintenance";
import { sha256Hex } from "../../src/auth/secrets";
import { clock } from "../../src/clock";
import { limiterObject, objectNames, sessionObject } from "../../src/objects/names";
import { call, codeFrom, STRONG_PASSWORD, uniqueEmail, waitForMessages } from "../helpers";
import { userWithPhone } from "../phone-helpers";
import { insertUsers, uniqueUsername } from "./helpers";
import { png } from "./images";

const DAY = 86400_000;
const settle = () => new Promise((r) => setTimeout(r, 200));

async function everyD1Row(): Promise<{ table: string; row: Record<string, unknown> }[]> {
  const tables = (
    await env.DB.prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' and name <> 'd1_migrations'",
    ).all<{ name: string }>()
  ).results;
  const out: { table: string; row: Record<string, unknown> }[] = [];
  for (const { name } of tables)
    for (const row of (await env.DB.prepare(`select * from "${name}"`).all<Record<string, unknown>>()).results) out.push({ table: name, row });
  return out;
}

async function everyKvEntry(): Promise<{ key: string; value: string }[]> {
  const out: { key: string; value: string }[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await env.KV.list(cursor ? { cursor } : {});
    for (const k of page.keys) out.push({ key: k.name, value: (await env.KV.get(k.name)) ?? "" });
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}

const doStorageKeys = (stub: DurableObjectStub) => runInDurableObject(stub, async (_instance, state) => [...(await state.storage.list()).keys()]);

/** One user with data in every store. */
async function richUser() {
  const account = await userWithPhone();
  const { accessToken, email, user, phone } = account;
  const username = uniqueUsername("gone");
  await call("/api/me", { method: "PATCH", json: { username, timeZone: "Europe/Madrid", locale: "es" }, token: accessToken });
  const avatar = (await call("/api/me/avatar", { method: "PUT", body: png(32, 32), headers: { "content-type": "image/png" }, token: accessToken })).body
    .avatarUrl as string;
  // A completed email change (email_changes row, notice to the old address) ...
  const second = uniqueEmail("second");
  await call("/api/me/email", { json: { newEmail: second }, token: accessToken });
  await call("/api/me/email/verify", { json: { code: codeFrom((await waitForMessages(second))[0]!) }, token: accessToken });
  // ... and a pending one (KV + a code challenge).
  const third = uniqueEmail("third");
  clock.advance(61_000);
  await call("/api/me/email", { json: { newEmail: third }, token: accessToken });
  await waitForMessages(third);
  // Pending codes and links, a failed sign-in, another device, a second password.
  await call("/api/auth/password/forgot", { json: { email: second } });
  await call("/api/auth/otp/send", { json: { email: second } });
  await call("/api/auth/login", { json: { email: second, password: "not the right password at all" } });
  const login = await call("/api/auth/login", {
    json: { email: second, password: STRONG_PASSWORD },
    headers: { "user-agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/131.0" },
    cf: { country: "DE", city: "Berlin" },
  });
  await call("/api/me/password", {
    json: { currentPassword: STRONG_PASSWORD, newPassword: `${STRONG_PASSWORD} two`, keepOtherSessions: true },
    token: login.body.accessToken,
  });
  await settle();
  return { ...account, userId: user.id, emails: [email, second, third], phone, username, avatarKey: avatar.split("/").pop()!, token: login.body.accessToken };
}

describe("account purge", () => {
  it("after 14 days a deleted account leaves nothing that identifies it in D1, KV, Durable Objects or R2", async () => {
    const u = await richUser();
    expect((await call("/api/me", { method: "DELETE", token: u.token })).status).toBe(202);
    await settle();

    const secrets = [u.userId, ...u.emails, u.phone, u.username];
    const hashed = [...u.emails.map((e) => sha256Hex(e)), sha256Hex(u.phone), sha256Hex(`${u.userId}:${u.phone}`), sha256Hex(`${u.userId}:${u.emails[2]}`)];
    // Before: the user is really in every store (the test would prove nothing otherwise).
    expect(JSON.stringify(await everyD1Row())).toContain(u.userId);
    expect((await everyKvEntry()).some((e) => hashed.some((h) => e.key.includes(h)))).toBe(true);
    expect((await doStorageKeys(sessionObject(env, u.userId))).length).toBeGreaterThan(0);
    expect(await env.AVATARS.head(`avatars/${u.avatarKey}`)).not.toBeNull();
    const auditBefore = (await env.DB.prepare("select count(*) as n from audit_events where user_id = ?").bind(u.userId).first<{ n: number }>())!.n;

    clock.advance(13 * DAY);
    expect((await runMaintenance(env)).accountsDeleted).toBe(0);
    clock.advance(DAY + 1);
    const report = await runMaintenance(env);
    expect(report.accountsDeleted).toBeGreaterThanOrEqual(1);

    // D1: every table, every column.
    for (const { table, row } of await everyD1Row()) {
      const text = JSON.stringify(row);
      for (const s of secrets) expect(text.includes(s), `${table} still holds ${s}: ${text}`).toBe(false);
    }
    const anonymous = (
      await env.DB.prepare("select * from audit_events where user_id like 'deleted:%' and type <> 'account.deleted'").all<Record<string, unknown>>()
    ).results;
    expect(anonymous.length).toBeGreaterThanOrEqual(auditBefore);
    for (const row of anonymous)
      expect([row.ip, row.user_agent, row.country, row.city, row.session_id, row.detail]).toEqual([null, null, null, null, null, null]);
    expect(
      await env.DB.prepare("select count(*) as n from audit_events where type = 'account.deleted' and reason = 'requested'").first<{ n: number }>(),
    ).toMatchObject({ n: expect.any(Number) });

    // KV: every key and value.
    for (const { key, value } of await everyKvEntry()) {
      for (const s of [...secrets, ...hashed]) expect(key.includes(s) || value.includes(s), `KV ${key} still holds ${s}`).toBe(false);
    }

    // Durable Objects: the session fence and every Limiter named after the user's addresses.
    expect(await doStorageKeys(sessionObject(env, u.userId))).toEqual([]);
    for (const email of u.emails) expect(await doStorageKeys(limiterObject(env, objectNames.signIn(sha256Hex(email))))).toEqual([]);
    for (const target of [...u.emails, u.phone, `${u.userId}:${u.phone}`, `${u.userId}:${u.emails[2]}`]) {
      expect(await doStorageKeys(limiterObject(env, objectNames.codes(sha256Hex(target)))), target).toEqual([]);
    }

    // R2.
    expect(await env.AVATARS.head(`avatars/${u.avatarKey}`)).toBeNull();
    expect((await env.AVATARS.list({ prefix: "avatars/" })).objects.map((o) => o.key)).not.toContain(`avatars/${u.avatarKey}`);

    // The account is gone for every way of signing in.
    expect((await call("/api/auth/login", { json: { email: u.emails[1], password: `${STRONG_PASSWORD} two` } })).status).toBe(401);
  }, 60_000);

  it("is idempotent: a second run, or purging the same user again, changes nothing and does not fail", async () => {
    const [id] = await insertUsers(1);
    await env.DB.prepare("update users set deletion_scheduled_at = ? where id = ?")
      .bind(clock.now() - 1, id)
      .run();
    const { findUserById } = await import("../../src/storage/users");
    const row = (await findUserById(env, id!))!;
    expect(await purgeAccount(env, row)).toBe(true);
    expect(await purgeAccount(env, row)).toBe(false);
    expect(await env.DB.prepare("select count(*) as n from users where id = ?").bind(id).first<{ n: number }>()).toEqual({ n: 0 });
  });

  it("works in batches: 25 due accounts take three runs of at most 10", async () => {
    const ids = await insertUsers(25);
    await env.DB.batch(ids.map((id) => env.DB.prepare("update users set deletion_scheduled_at = ? where id = ?").bind(clock.now() - 1, id)));
    const remaining = async () =>
      (await env.DB.prepare(`select count(*) as n from users where id in (${ids.map(() => "?").join(",")})`)
        .bind(...ids)
        .first<{ n: number }>())!.n;
    const first = await purgeDueAccounts(env);
    expect(first.accountsDeleted).toBeLessThanOrEqual(10);
    expect(await remaining()).toBeGreaterThanOrEqual(15);
    while ((await purgeDueAccounts(env)).accountsDeleted > 0);
    expect(await remaining()).toBe(0);
  }, 60_000);

  it("takes deactivated accounts after 30 days, and leaves everything not yet due", async () => {
    const [gone, kept, notYet, active] = await insertUsers(4);
    const now = clock.now();
    await env.DB.batch([
      env.DB.prepare("update users set deactivated_at = ? where id = ?").bind(now - 30 * DAY - 1, gone),
      env.DB.prepare("update users set deactivated_at = ? where id = ?").bind(now - 29 * DAY, kept),
      env.DB.prepare("update users set deletion_scheduled_at = ? where id = ?").bind(now + DAY, notYet),
    ]);
    while ((await purgeDueAccounts(env)).accountsDeleted > 0);
    const left = (await env.DB.prepare("select id from users where id in (?, ?, ?, ?)").bind(gone, kept, notYet, active).all<{ id: string }>()).results
      .map((r) => r.id)
      .sort();
    expect(left).toEqual([kept, notYet, active].sort());
  });
});
