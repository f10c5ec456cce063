// The deployed environments (wrangler.toml [env.production], [env.staging]) as wrangler
// itself resolves them: no development value anywhere, every binding of their own, and
// `npm run deploy` / `deploy:staging` aimed at them. Plus the real thing:
// `wrangler deploy --dry-run --env production` succeeds and prints no development value.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CONFIG = join(ROOT, "wrangler.toml");
const read = (env) => unstable_readConfig({ config: CONFIG, env });
const top = read(undefined);
const LOOPBACK = /^https?:\/\/(localhost|[^/]*\.localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i;

for (const name of ["production", "staging"]) {
  test(`[env.${name}] holds no development value`, () => {
    const c = read(name);
    assert.equal(c.vars.ENVIRONMENT, name);
    assert.match(c.vars.PUBLIC_URL, /^https:\/\//);
    assert.doesNotMatch(c.vars.PUBLIC_URL, LOOPBACK);
    for (const [key, value] of Object.entries(c.vars)) {
      if (key.endsWith("_PROVIDER")) assert.notEqual(value, "console", `${key} is a development-only provider`);
      assert.doesNotMatch(String(value), LOOPBACK, `${key} points at this machine`);
      assert.notEqual(value, "development", key);
    }
    assert.ok(["resend", "sendgrid"].includes(c.vars.EMAIL_PROVIDER), "a real email provider");
    assert.equal(c.workers_dev, false);
    assert.equal(c.observability?.enabled, true);
    assert.ok(Number.isInteger(c.limits?.cpu_ms) && c.limits.cpu_ms >= 50, "a [limits] cpu_ms cap that leaves room for Argon2id (~25 ms per hash)");
  });

  test(`[env.${name}] has every var and binding of the top level, its own stores`, () => {
    const c = read(name);
    // Vars are not inherited: a missing one would silently fall back to a default.
    assert.deepEqual(Object.keys(c.vars).sort(), Object.keys(top.vars).sort());
    assert.deepEqual(
      c.d1_databases.map((d) => d.binding),
      top.d1_databases.map((d) => d.binding),
    );
    assert.notEqual(c.d1_databases[0].database_name, top.d1_databases[0].database_name);
    assert.deepEqual(
      c.kv_namespaces.map((k) => k.binding),
      top.kv_namespaces.map((k) => k.binding),
    );
    assert.deepEqual(
      c.queues.producers.map((q) => q.binding),
      top.queues.producers.map((q) => q.binding),
    );
    for (const q of [...c.queues.producers.map((p) => p.queue), ...c.queues.consumers.map((p) => p.queue)])
      assert.match(q, new RegExp(`-${name}(-dlq)?$`), `queue ${q} is this environment's own`);
    assert.ok(
      c.queues.consumers.some((q) => q.dead_letter_queue?.endsWith("-dlq")),
      "a dead-letter queue",
    );
    // Every Durable Object class of the migrations is bound here too.
    const classes = top.migrations.flatMap((m) => [...(m.new_sqlite_classes ?? []), ...(m.new_classes ?? [])]);
    const bound = c.durable_objects.bindings.map((b) => b.class_name).sort();
    assert.deepEqual(bound, [...new Set(classes)].filter((k) => !top.migrations.some((m) => (m.deleted_classes ?? []).includes(k))).sort());
    assert.deepEqual(c.durable_objects.bindings.map((b) => b.name).sort(), top.durable_objects.bindings.map((b) => b.name).sort());
    assert.deepEqual(c.triggers.crons, top.triggers.crons);
  });
}

test("npm run deploy / deploy:staging target their environment, migrations first, never the top level", () => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  for (const [script, env] of [
    ["deploy", "production"],
    ["deploy:staging", "staging"],
  ]) {
    const steps = scripts[script].split("&&").map((s) => s.trim());
    const migrate = steps.findIndex((s) => s.startsWith("wrangler d1 migrations apply"));
    const deploy = steps.findIndex((s) => s.startsWith("wrangler deploy"));
    assert.ok(migrate >= 0 && deploy > migrate, `${script}: migrations, then code`);
    assert.match(steps[migrate], new RegExp(`--remote --env ${env}$`));
    assert.match(steps[deploy], new RegExp(`--env ${env}$`));
  }
  for (const command of Object.values(scripts))
    assert.doesNotMatch(command, /wrangler deploy(?! --env)(?! --dry-run)/, `bare "wrangler deploy" in: ${command}`);
});

test("wrangler deploy --dry-run --env production succeeds and shows no development value", { timeout: 120_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), "edge-auth-dry-run-"));
  after(() => rmSync(out, { recursive: true, force: true }));
  // Through npx, as an operator runs it (it also puts the project's Node, which wrangler needs, on PATH).
  const res = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--env", "production", "--outdir", out], { cwd: ROOT, encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /env\.ENVIRONMENT \("production"\)/);
  assert.match(res.stdout, /env\.DB \(edge-auth-production\)/);
  assert.doesNotMatch(res.stdout, /"development"|"console"|127\.0\.0\.1|localhost/);
});
