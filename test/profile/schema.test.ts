// migrations/0003_profile.sql: the profile columns, the username unique index deciding
// races, and the R2 bucket binding the avatar routes use.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { updateProfile } from "../../src/storage/profile";
import { insertUsers, uniqueUsername } from "./helpers";

describe("profile schema", () => {
  it("users has the profile columns and email_changes exists", async () => {
    const cols = (await env.DB.prepare("pragma table_info(users)").all<{ name: string }>()).results.map((c) => c.name);
    expect(cols).toEqual(
      expect.arrayContaining(["username", "locale", "time_zone", "avatar_key", "deactivated_at", "deletion_scheduled_at", "notification_prefs"]),
    );
    const tables = (await env.DB.prepare("select name from sqlite_master where type = 'table'").all<{ name: string }>()).results.map((t) => t.name);
    expect(tables).toContain("email_changes");
  });

  it("20 parallel claims of one username: exactly one wins (D1 unique index)", async () => {
    const ids = await insertUsers(20);
    const name = uniqueUsername("race");
    const results = await Promise.all(ids.map((id) => updateProfile(env, id, { username: name })));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "username_taken")).toHaveLength(19);
    const owners = await env.DB.prepare("select count(*) as n from users where username = ?").bind(name).first<{ n: number }>();
    expect(owners!.n).toBe(1);
  });

  it("the AVATARS R2 bucket is bound", async () => {
    await env.AVATARS.put("probe", "x");
    expect(await (await env.AVATARS.get("probe"))!.text()).toBe("x");
    await env.AVATARS.delete("probe");
  });
});
