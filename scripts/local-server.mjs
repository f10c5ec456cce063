// The Worker under `wrangler dev` for code that runs in Node: browser journeys, the
// independent JWKS verifier test, HTTP benchmarks. One free loopback port, a temporary
// (or given) persist dir with migrations applied, secrets from env files, and a stop()
// that ends the whole process group it started (wrangler and workerd) by pid.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyDataAssets } from "./data-assets.mjs";
import { formatVars } from "./keys.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
// wrangler needs Node 22: run its CLI with the project's own Node (a devDependency).
const PROJECT_NODE = join(ROOT, "node_modules/.bin/node");
const NODE = existsSync(PROJECT_NODE) ? PROJECT_NODE : process.execPath;
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const QUIET = { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Applies the D1 migrations to a local persist dir. */
export function migrate(persistDir) {
  const run = spawnSync(NODE, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], {
    cwd: ROOT,
    env: QUIET,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`migrations failed: ${run.stderr}\n${run.stdout}`);
}

/**
 * Starts `wrangler dev`. `envFiles` are passed in order (later ones win); `vars` are
 * written to one more file after them. Tests never reach the breached-password API:
 * BREACHED_PASSWORD_CHECK is off unless `vars` says otherwise. Resolves once /health answers.
 * Without `persistDir` a temporary one is made (migrated) and removed by stop().
 * `port` defaults to a free one (pass it when a var such as PUBLIC_URL must name it).
 */
export async function startLocalServer({ envFiles = [], vars = {}, persistDir, port, logLevel = "warn", timeoutMs = 120_000 } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), "edge-auth-local-"));
  const persist = persistDir ?? join(scratch, "state");
  if (!persistDir) migrate(persist);
  // wrangler refuses to start without the assets directory (the SPA build output).
  mkdirSync(join(ROOT, "public"), { recursive: true });
  copyDataAssets();
  const varsFile = join(scratch, "vars.env");
  writeFileSync(varsFile, formatVars({ BREACHED_PASSWORD_CHECK: "off", ...vars }), { mode: 0o600 });

  port ??= await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(await freePort()),
    "--persist-to",
    persist,
    "--show-interactive-dev-session=false",
    "--log-level",
    logLevel,
  ];
  for (const file of [...envFiles, varsFile]) args.push("--env-file", file);
  const child = spawn(NODE, [WRANGLER, ...args], { cwd: ROOT, env: QUIET, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.once("exit", resolve));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const kill = (signal) => {
        try {
          process.kill(-child.pid, signal); // the process group we created (detached)
        } catch {}
      };
      kill("SIGTERM");
      const timer = setTimeout(() => kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(scratch, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    if (
      await fetch(`${origin}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { origin, stop, log: () => output };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not start:\n${output}`);
}

/** Registers and verifies an account through the dev outbox; returns the verify response body. */
export async function signUpViaOutbox(origin, email, password, name = "Local Tester") {
  const post = (path, json) =>
    fetch(`${origin}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-token-transport": "body" }, body: JSON.stringify(json) });
  const registered = await post("/api/auth/register", { email, password, name });
  if (registered.status !== 202) throw new Error(`register answered ${registered.status}: ${await registered.text()}`);
  const { registrationToken } = await registered.json();
  for (let i = 0; i < 100; i++) {
    const { messages } = await (await fetch(`${origin}/api/dev/outbox?to=${encodeURIComponent(email)}`)).json();
    const code = /\b(\d{6})\b/.exec(messages[0]?.text ?? "")?.[1];
    if (code) {
      const verified = await post("/api/auth/verify-email", { registrationToken, code });
      if (verified.status !== 200) throw new Error(`verify-email answered ${verified.status}: ${await verified.text()}`);
      return verified.json();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no verification code for ${email} in the dev outbox`);
}
