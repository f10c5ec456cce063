// Runs the real thing for browser journeys: `wrangler dev` on 127.0.0.1 (a free port, a
// temporary persist dir with migrations applied, throwaway secrets) and Debian's
// Chromium through playwright-core (no browser download). Both are stopped by pid.
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
// @ts-expect-error plain JS helper shared with dev-setup
import { newPepper, newSigningKey } from "../../scripts/keys.mjs";
// @ts-expect-error plain JS helper shared with the other Node-side tests and benchmarks
import { freePort, migrate, signUpViaOutbox, startLocalServer } from "../../scripts/local-server.mjs";
// @ts-expect-error plain JS, shared with scripts/lighthouse.mjs
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../../scripts/chromium.mjs";

/** Migrates a local state directory; signs up an account through the API and the dev outbox. */
export { migrate, signUpViaOutbox };

const ROOT = new URL("../../", import.meta.url).pathname;
// wrangler needs Node 22: run its CLI with the project's own node (a devDependency).
const NODE = existsSync(join(ROOT, "node_modules/.bin/node")) ? join(ROOT, "node_modules/.bin/node") : process.execPath;
export const SCREENSHOTS = join(ROOT, "test-output/screenshots");

export type Server = { origin: string; stop(): Promise<void>; log(): string };

/**
 * `host: "localhost"` serves (and sets PUBLIC_URL) at http://localhost:PORT instead of
 * 127.0.0.1: browsers refuse an IP address as a WebAuthn RP ID, so passkey journeys need
 * a host name (README "Second factors and passkeys").
 * `vars`: configuration for this server only (e.g. REGISTRATION_MODE, ORG_ROLE_TEMPLATE).
 * `persistDir`: a migrated local state directory the test can also reach (npm run admin:grant).
 */
export async function startWrangler(options: { host?: "127.0.0.1" | "localhost"; vars?: Record<string, string>; persistDir?: string } = {}): Promise<Server> {
  const { vars = {}, persistDir } = options;
  // `npm test` builds first; a bare `npx vitest run` on a fresh clone gets a build here.
  if (!existsSync(join(ROOT, "public/index.html"))) {
    const built = spawnSync(NODE, [join(ROOT, "scripts/build-web.mjs")], { cwd: ROOT, encoding: "utf8" });
    if (built.status !== 0) throw new Error(`SPA build failed: ${built.stderr}`);
  }
  // The journeys sign in and send codes many times from one IP within seconds: generous
  // budgets here, the limits themselves are tested in workerd. Codes keep a per-target
  // budget (2 a minute) so the resend wait the SPA shows still comes from the server.
  const open = [{ by: "ip", limit: 100, windowSeconds: 10 }];
  const perTarget = [{ by: "target", limit: 2, windowSeconds: 60 }];
  const port = await freePort();
  const host = options.host ?? "127.0.0.1";
  const server: Server = await startLocalServer({
    port,
    persistDir,
    vars: {
      JWT_PRIVATE_KEYS: JSON.stringify([newSigningKey()]),
      PASSWORD_PEPPER: newPepper(),
      MFA_ENCRYPTION_KEY: newPepper(),
      PUBLIC_URL: `http://${host}:${port}`,
      RATE_LIMITS: JSON.stringify({
        "auth.login": open,
        "auth.register": open,
        "signup.phone": open,
        "code.verify": open,
        "code.send-phone": perTarget,
        "code.send-email": perTarget,
      }),
      ...vars,
    },
  });
  return { ...server, origin: `http://${host}:${port}` };
}

export async function launchChromium(): Promise<Browser> {
  // launch() gives every run a fresh temporary --user-data-dir and removes it on close.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
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

/** Once the page is quiet: no serious axe violation, then a screenshot named `name`. */
export async function checkPage(p: Page, name: string): Promise<void> {
  await p.waitForLoadState("networkidle");
  const violations = await runAxe(p);
  expect(
    violations.map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `axe on ${name}`,
  ).toEqual([]);
  await screenshot(p, name);
}

/** The newest dev-outbox message to `to` whose subject matches, polled briefly (queues are async). */
export async function waitForMessage(origin: string, to: string, subject: RegExp, after = 0): Promise<{ subject: string; text: string; channel?: string }> {
  for (let i = 0; i < 80; i++) {
    const res = await fetch(`${origin}/api/dev/outbox?to=${encodeURIComponent(to)}`);
    if (res.ok) {
      const { messages } = (await res.json()) as { messages: { subject: string; text: string; channel?: string; createdAt: string }[] };
      const hit = messages.find((m) => subject.test(m.subject) && Date.parse(m.createdAt) > after);
      if (hit) return hit;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no message matching ${subject} for ${to}`);
}

export const codeIn = (m: { subject: string; text: string }) => /\b(\d{6})\b/.exec(m.subject)?.[1] ?? /\b(\d{6})\b/.exec(m.text)![1]!;
export const linkIn = (m: { text: string }) => /(https?:\/\/\S+)/.exec(m.text)![1]!;

function base32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of text) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
}

/** RFC 6238 with the app's parameters: HMAC-SHA-1, 30 s, 6 digits. */
export function totp(secret: string, atMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const value = mac.readUInt32BE(mac[19]! & 0x0f) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, "0");
}
