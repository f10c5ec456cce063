// The first-time flows (sign-up with a code, sign-in, phone sign-up) on a phone
// (375×812, touch) and with the keyboard alone, and axe on every page in English and
// Spanish. Screenshots go to test-output/screenshots/ (prefix "m-" phone, "k-" keyboard).
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeIn, launchChromium, openPage, type Server, startWrangler, waitForMessage, checkPage } from "./harness";

let server: Server;
let browser: Browser;
const problems: string[][] = [];
const url = (path: string) => `${server.origin}${path}`;
const stamp = Date.now().toString(36);
const password = "silver meadow lantern 4410";
const accounts: Record<string, string> = {};

type Mode = "touch" | "keyboard";
const PHONE = { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

async function newContext(mode: Mode, locale = "en-US"): Promise<{ context: BrowserContext; p: Page }> {
  const context = await browser.newContext({ locale, ...(mode === "touch" ? PHONE : {}) });
  const w = await openPage(context);
  problems.push(w.problems);
  return { context, p: w.page };
}

const heading = (p: Page, name: string | RegExp) => p.getByRole("heading", { level: 1, name });

/** Moves focus to `target` with Tab alone (fails if it is not reachable). */
async function tabTo(p: Page, target: Locator) {
  const element = await target.elementHandle();
  for (let i = 0; i < 40; i++) {
    if (await element!.evaluate((el) => el === document.activeElement)) return;
    await p.keyboard.press("Tab");
  }
  throw new Error(`not reachable with Tab: ${target}`);
}

/** Types into a field: tapped on a phone, tabbed to with the keyboard alone. */
async function type(p: Page, mode: Mode, field: Locator, text: string) {
  if (mode === "touch") await field.tap();
  else await tabTo(p, field);
  await p.keyboard.type(text);
}

/** Presses a button or follows a link: a tap, or Tab + Enter. */
async function press(p: Page, mode: Mode, target: Locator) {
  if (mode === "touch") return target.tap();
  await tabTo(p, target);
  await p.keyboard.press("Enter");
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startWrangler(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(["touch", "keyboard"] as const)("first-time flows (%s)", (mode) => {
  const tag = mode === "touch" ? "m" : "k";

  it("signs up with an emailed code that submits itself", async () => {
    const email = `${tag}.${stamp}@example.com`;
    accounts[mode] = email;
    const { context, p } = await newContext(mode);
    await p.goto(url("/sign-up"));
    await heading(p, "Create your account").waitFor();
    await type(p, mode, p.getByLabel("Email address"), email);
    await type(p, mode, p.getByLabel("Name (optional)"), "Ana Device");
    await type(p, mode, p.getByLabel("Password", { exact: true }), password);
    await checkPage(p, `${tag}-01-sign-up`);
    if (mode === "keyboard") await p.keyboard.press("Enter");
    else await p.getByRole("button", { name: "Create account" }).tap();
    await heading(p, "Check your email").waitFor();
    await checkPage(p, `${tag}-02-verify`);
    const message = await waitForMessage(server.origin, email, /verification code/);
    await type(p, mode, p.getByLabel("6-digit code"), codeIn(message));
    await heading(p, "Welcome, Ana Device").waitFor();
    await checkPage(p, `${tag}-03-dashboard`);
    await context.close();
  });

  it("signs in", async () => {
    const { context, p } = await newContext(mode);
    await p.goto(url("/sign-in"));
    await heading(p, "Sign in").waitFor();
    await checkPage(p, `${tag}-04-sign-in`);
    await type(p, mode, p.getByLabel("Email address"), accounts[mode]!);
    await type(p, mode, p.getByLabel("Password", { exact: true }), password);
    await press(p, mode, p.getByRole("button", { name: "Sign in", exact: true }));
    await heading(p, "Welcome, Ana Device").waitFor();
    // The dashboard's pages are reachable the same way (the menu on a phone).
    if (mode === "touch") await p.getByRole("button", { name: "Menu" }).tap();
    await press(p, mode, p.getByRole("link", { name: "Sessions & devices" }));
    await heading(p, "Sessions & devices").waitFor();
    await expect.poll(() => p.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    await checkPage(p, `${tag}-05-sessions`);
    await context.close();
  });

  it("signs up with a phone", async () => {
    const national = `6${String((Date.now() + (mode === "touch" ? 1 : 2)) % 100_000_000).padStart(8, "0")}`;
    const { context, p } = await newContext(mode);
    await p.goto(url("/sign-up/phone"));
    await heading(p, "Sign up with your phone").waitFor();
    if (mode === "keyboard") {
      // Choose the country in the picker by name, with the arrow keys and Enter.
      await type(p, mode, p.getByRole("combobox", { name: "Country" }), "spai");
      await p.keyboard.press("ArrowDown");
      await p.keyboard.press("ArrowUp");
      await p.keyboard.press("Enter");
      await expect.poll(() => p.getByRole("combobox", { name: "Country" }).inputValue()).toBe("Spain (+34)");
      await type(p, mode, p.getByLabel("Phone number", { exact: true }), national);
      // The channel radios: arrows move the choice.
      await tabTo(p, p.getByRole("radio", { name: "Text message (SMS)" }));
      await p.keyboard.press("ArrowRight");
      expect(await p.getByRole("radio", { name: "WhatsApp" }).isChecked()).toBe(true);
      await p.keyboard.press("Enter");
    } else {
      // On a phone people paste the whole number: read as Spanish whatever the picker shows.
      await type(p, mode, p.getByLabel("Phone number", { exact: true }), `+34 ${national}`);
      await expect.poll(() => p.getByRole("combobox", { name: "Country" }).inputValue()).toBe("Spain (+34)");
      await p.getByRole("radio", { name: "WhatsApp" }).tap();
      await checkPage(p, `${tag}-06-phone-sign-up`);
      await p.getByRole("button", { name: "Send code" }).tap();
    }
    await p.getByText("Step 2 of 5").waitFor();
    await checkPage(p, `${tag}-07-phone-code`);
    const sms = await waitForMessage(server.origin, `+34${national}`, /code/);
    expect(sms.channel).toBe("whatsapp");
    await type(p, mode, p.getByLabel("6-digit code"), codeIn(sms));
    await p.getByText("Step 3 of 5").waitFor();
    const email = `${tag}.phone.${stamp}@example.com`;
    await type(p, mode, p.getByLabel("Email address"), email);
    await press(p, mode, p.getByRole("button", { name: "Send code" }));
    await p.getByText("Step 4 of 5").waitFor();
    await type(p, mode, p.getByLabel("6-digit code"), codeIn(await waitForMessage(server.origin, email, /code/)));
    await p.getByText("Step 5 of 5").waitFor();
    await press(p, mode, p.getByRole("button", { name: "Finish" }));
    await heading(p, /^Welcome/).waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await context.close();
  });
});

describe("axe on every page", () => {
  it.each(["en", "es"] as const)("has no serious or critical violations in %s", async (lang) => {
    const { context, p } = await newContext("keyboard", lang === "es" ? "es-ES" : "en-US");
    const guest = [
      "/sign-in",
      "/sign-in/code",
      "/sign-up",
      "/sign-up/phone",
      "/forgot-password",
      "/reset-password",
      "/verify?email=a%40example.com",
      "/verify-email",
      "/no-such-page",
      "/error",
    ];
    for (const path of guest) {
      await p.goto(url(path));
      await p.locator("main h1").waitFor();
      await checkPage(p, `${lang}-guest${path.split("?")[0]!.replace(/\//g, "-")}`);
    }
    await p.goto(url("/sign-in"));
    await p.locator("#email").fill(accounts.keyboard!);
    await p.locator("#password").fill(password);
    await p.keyboard.press("Enter");
    await p.waitForURL(url("/dashboard"));
    for (const path of ["/dashboard", "/profile", "/settings/security", "/settings/sessions", "/activity", "/settings/nowhere"]) {
      await p.goto(url(path));
      await p.locator("main h1").waitFor();
      await checkPage(p, `${lang}-app${path.replace(/\//g, "-")}`);
    }
    await context.close();
  });

  it("logged no console errors, CSP violations or exceptions", () => {
    expect(problems.flat()).toEqual([]);
  });
});
