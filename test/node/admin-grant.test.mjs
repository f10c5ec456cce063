// `npm run admin:grant`: the only way to make a platform admin. Its argument handling,
// and one real run against a local D1 state directory (wrangler d1 execute --local).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { grantCommand } from "../../scripts/admin-grant.mjs";
import { migrate } from "../../scripts/local-server.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NODE = join(ROOT, "node_modules/.bin/node");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

test("local by default, --persist-to and --env/--remote as wrangler takes them", () => {
  assert.deepEqual(grantCommand(["Alice@Example.com"]).args.slice(-1), ["--local"]);
  assert.equal(grantCommand(["Alice@Example.com"]).email, "alice@example.com");
  assert.deepEqual(grantCommand(["a@example.com", "--persist-to", "/tmp/x"]).args.slice(-3), ["--local", "--persist-to", "/tmp/x"]);
  assert.deepEqual(grantCommand(["a@example.com", "--env", "production", "--remote"]).args.slice(-3), ["--remote", "--env", "production"]);
  assert.match(
    grantCommand(["a@example.com", "--revoke"]).args.find((a) => a.startsWith("UPDATE")),
    /is_platform_admin = 0/,
  );
});

test("refuses what could escape the SQL, and odd arguments", () => {
  for (const bad of ["a'@example.com", "x@example.com'; DROP TABLE users; --", "a\\@example.com", "not-an-email", ""])
    assert.throws(() => grantCommand([bad]), bad);
  assert.throws(() => grantCommand([]));
  assert.throws(() => grantCommand(["a@example.com", "b@example.com"]));
  assert.throws(() => grantCommand(["a@example.com", "--remote", "--persist-to", "/tmp/x"]));
  assert.throws(() => grantCommand(["a@example.com", "--env", "prod; rm -rf /"]));
});

test("grants and revokes on a local state directory; an unknown email changes nothing", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "edge-auth-admin-"));
  try {
    migrate(dir);
    const sql = (command) =>
      spawnSync(NODE, [WRANGLER, "d1", "execute", "DB", "--local", "--persist-to", dir, "--json", "--command", command], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
      });
    assert.equal(sql("INSERT INTO users (id, email, created_at, updated_at) VALUES ('u1', 'ops@example.com', 1, 1)").status, 0);
    const grant = (...args) => spawnSync(NODE, ["scripts/admin-grant.mjs", ...args, "--persist-to", dir], { cwd: ROOT, encoding: "utf8" });
    const ok = grant("OPS@example.com");
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /ops@example\.com \(u1\) is now a platform admin/);
    const flag = () => JSON.parse(sql("SELECT is_platform_admin AS a FROM users WHERE id = 'u1'").stdout)[0].results[0].a;
    assert.equal(flag(), 1);
    const missing = grant("nobody@example.com");
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /No account/);
    assert.equal(grant("ops@example.com", "--revoke").status, 0);
    assert.equal(flag(), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
