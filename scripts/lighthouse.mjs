// Lighthouse (the npm package) on the sign-in page and the dashboard, against the
// built SPA under `wrangler dev`, in Debian's Chromium with the journeys' flags. Prints
// the four category scores and fails if performance, accessibility or best practices
// is under 90. Not part of `npm test` (slow, and scores move with machine load).
//   npm run lighthouse            (mobile: Lighthouse's default throttling and viewport)
//   npm run lighthouse -- --desktop
import lighthouse from "lighthouse";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "./chromium.mjs";
import { newPepper, newSigningKey } from "./keys.mjs";
import { freePort, signUpViaOutbox, startLocalServer } from "./local-server.mjs";

const BAR = 90;
const GATED = ["performance", "accessibility", "best-practices"];
const desktop = process.argv.includes("--desktop");

const port = await freePort();
const server = await startLocalServer({
  port,
  vars: { JWT_PRIVATE_KEYS: JSON.stringify([newSigningKey()]), PASSWORD_PEPPER: newPepper(), PUBLIC_URL: `http://127.0.0.1:${port}` },
});
const profile = mkdtempSync(join(tmpdir(), "edge-auth-lighthouse-"));
const debugPort = await freePort();
let failed = false;
try {
  const email = `lighthouse.${Date.now().toString(36)}@example.com`;
  const password = "harbour lantern meadow 7731";
  await signUpViaOutbox(server.origin, email, password, "Light House");

  // A persistent context is the browser's default one, which Lighthouse's own tab shares:
  // the sign-in below leaves the refresh cookie there for the dashboard run.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_FLAGS, `--remote-debugging-port=${debugPort}`],
    headless: true,
  });
  try {
    const flags = {
      port: debugPort,
      output: "json",
      logLevel: "error",
      ...(desktop
        ? { preset: "desktop", formFactor: "desktop", screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false } }
        : {}),
    };
    const config = {
      extends: "lighthouse:default",
      settings: desktop ? { formFactor: "desktop", throttlingMethod: "simulate", screenEmulation: flags.screenEmulation } : {},
    };
    const rows = [];
    const audit = async (path, extra = {}) => {
      const result = await lighthouse(`${server.origin}${path}`, { ...flags, ...extra }, config);
      const scores = Object.fromEntries(Object.entries(result.lhr.categories).map(([id, c]) => [id, Math.round((c.score ?? 0) * 100)]));
      rows.push({ path, ...scores, url: result.lhr.finalDisplayedUrl });
      for (const id of GATED) if (scores[id] < BAR) failed = true;
      // Name what cost points, so a regression says where to look.
      for (const [id, a] of Object.entries(result.lhr.audits)) {
        if (a.score !== null && a.score < 0.9 && a.scoreDisplayMode === "binary") console.log(`  ${path}: ${id}: ${a.title}`);
      }
    };
    await audit("/sign-in");
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${server.origin}/sign-in`);
    await page.locator("#email").fill(email);
    await page.locator("#password").fill(password);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.origin}/dashboard`);
    // Keep the signed-in cookie: Lighthouse otherwise clears the origin's storage first.
    await audit("/dashboard", { disableStorageReset: true });
    console.log(`Lighthouse (${desktop ? "desktop" : "mobile"}), Chromium ${browser.browser()?.version() ?? ""}:`);
    console.table(
      rows.map(({ path, url, ...s }) => ({
        page: path,
        landed: new URL(url).pathname,
        performance: s.performance,
        accessibility: s.accessibility,
        "best practices": s["best-practices"],
        seo: s.seo,
      })),
    );
    if (rows[1] && new URL(rows[1].url).pathname !== "/dashboard") {
      console.error("lighthouse: the dashboard run did not stay signed in");
      failed = true;
    }
  } finally {
    await browser.close();
  }
} finally {
  await server.stop();
  rmSync(profile, { recursive: true, force: true });
}
if (failed) {
  console.error(`lighthouse: a gated score (${GATED.join(", ")}) is under ${BAR}`);
  process.exitCode = 1;
}
