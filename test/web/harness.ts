// Runs the real thing for browser journeys: `wrangler dev` on 127.0.0.1 (a free port, a
// temporary persist dir with migrations applied, throwaway secrets) and Debian's
// Chromium through playwright-core (no browser download). Both are stopped by pid.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
// @ts-expect-error plain JS helper shared with dev-setup
import { newPepper, newSigningKey } from "../../scripts/keys.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
// wrangler needs Node 22: run its CLI with the project's own node (a devDependency).
const NODE = existsSync(join(ROOT, "node_modules/.bin/node")) ? join(ROOT, "node_modules/.bin/node") : process.execPath;
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
export const SCREENSHOTS = join(ROOT, "test-output/screenshots");

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export type Server = { origin: string; stop(): Promise<void>; log(): string };

export async function startWrangler(): Promise<Server> {
  // `npm test` builds first; a bare `npx vitest run` on a fresh clone gets a build here.
  if (!existsSync(join(ROOT, "public/index.html"))) {
    const built = spawnSync(NODE, [join(ROOT, "scripts/build-web.mjs")], { cwd: ROOT, encoding: "utf8" });
    if (built.status !== 0) throw new Error(`SPA build failed: ${built.stderr}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "edge-auth-web-"));
  const persist = join(dir, "state");
  const envFile = join(dir, "test.env");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // No HIBP calls from tests (the abuse branch's breached-password check); generous
  // sign-in budget: the journeys sign in several times from one IP within
  // seconds; the limits themselves are tested in workerd.
  const rateLimits = JSON.stringify({ "auth.login": [{ by: "ip", limit: 100, windowSeconds: 10 }], "auth.register": [{ by: "ip", limit: 100, windowSeconds: 10 }] });
  writeFileSync(envFile, `JWT_PRIVATE_KEYS='${JSON.stringify([newSigningKey()])}'\nPASSWORD_PEPPER='${newPepper()}'\nPUBLIC_URL='${origin}'\nBREACHED_PASSWORD_CHECK='off'\nRATE_LIMITS='${rateLimits}'\n`);
  const env = { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
  const migrate = spawnSync(NODE, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], { cwd: ROOT, env, encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr}\n${migrate.stdout}`);

  let output = "";
  const child: ChildProcess = spawn(
    NODE,
    [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort()), "--persist-to", persist, "--env-file", envFile, "--show-interactive-dev-session=false", "--log-level", "warn"],
    { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid, "SIGTERM"); // the process group we created (detached)
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${origin}/health`).then((r) => r.ok, () => false);
    if (ok) return { origin, stop, log: () => output };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not start:\n${output}`);
}

export async function launchChromium(): Promise<Browser> {
  // launch() gives every run a fresh temporary --user-data-dir and removes it on close.
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS, headless: true });
}

export type Watched = { page: Page; problems: string[] };

/** A page that records console errors, CSP violations and uncaught exceptions. */
export async function openPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    const text = m.text();
    // 4xx answers the app handles (e.g. the first refresh without a cookie) are expected.
    if (m.type() === "error" && !/status of 4\d\d/.test(text) && !/net::ERR_INTERNET_DISCONNECTED/.test(text)) problems.push(`console: ${text}`);
  });
  return { page, problems };
}

const axeSource = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** axe-core in the page (evaluated through CDP, so the page's strict CSP stays on). */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { resultTypes: ["violations"] });
  });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The newest dev-outbox message to `to` whose subject matches, polled briefly (queues are async). */
export async function waitForMessage(origin: string, to: string, subject: RegExp, after = 0): Promise<{ subject: string; text: string }> {
  for (let i = 0; i < 80; i++) {
    const res = await fetch(`${origin}/api/dev/outbox?to=${encodeURIComponent(to)}`);
    if (res.ok) {
      const { messages } = (await res.json()) as { messages: { subject: string; text: string; createdAt: string }[] };
      const hit = messages.find((m) => subject.test(m.subject) && Date.parse(m.createdAt) > after);
      if (hit) return hit;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no message matching ${subject} for ${to}`);
}

export const codeIn = (m: { subject: string; text: string }) => /\b(\d{6})\b/.exec(m.subject)?.[1] ?? /\b(\d{6})\b/.exec(m.text)![1]!;
export const linkIn = (m: { text: string }) => /(https?:\/\/\S+)/.exec(m.text)![1]!;
