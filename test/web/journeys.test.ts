// Browser journeys: the built SPA served by `wrangler dev`, driven in Debian's Chromium.
// Each journey checks what a user sees, runs axe-core on every page it visits and saves
// a screenshot under test-output/screenshots/ for review.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeIn, launchChromium, linkIn, openPage, screenshot, type Server, startWrangler, waitForMessage, checkPage } from "./harness";

let server: Server;
let browser: Browser;
let main: BrowserContext;
let page: Page;
const pageProblems: string[][] = [];
const email = `web.${Date.now().toString(36)}@example.com`;
let password = "lantern orchard velvet 2187";
const newPassword = "quiet harbour copper 9041";
const resetPassword = "maple thunder pocket 5530";
const url = (path: string) => `${server.origin}${path}`;

async function newPage(context: BrowserContext): Promise<Page> {
  const w = await openPage(context);
  pageProblems.push(w.problems);
  return w.page;
}

/** axe-core: no serious or critical violations; then a screenshot. */
/** The resend wait the server reported: RateLimit `r=0;t=N` -> N seconds; room left -> none. */
const resendWait = (header: string | undefined) => (/;r=0;t=(\d+)/.exec(header ?? "")?.[1] ? Number(/;r=0;t=(\d+)/.exec(header!)![1]) : 0);
/** The countdown text for a wait of `s` seconds (the SPA waits at least 30 s), allowing 3 s of test time. */
function countdownNear(s: number): RegExp {
  const wait = Math.max(30, s);
  const times = [0, 1, 2, 3].map((d) => wait - d).map((x) => `${Math.floor(x / 60)}:${String(x % 60).padStart(2, "0")}`);
  return new RegExp(`new code in (${times.join("|")})`);
}
const heading = (p: Page, name: string | RegExp) => p.getByRole("heading", { level: 1, name });
/** The dashboard's overview, where sign-in lands. */
const overview = (p: Page) => heading(p, /^Welcome/);

async function signIn(p: Page, who: string, pw: string) {
  await p.goto(url("/sign-in"));
  await p.getByLabel("Email address").fill(who);
  await p.getByLabel("Password", { exact: true }).fill(pw);
  await p.getByRole("button", { name: "Sign in" }).click();
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startWrangler(), launchChromium()]);
  main = await browser.newContext({ locale: "en-US" });
  page = await newPage(main);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("browser journeys", () => {
  it("serves the shell with a strict CSP and renders sign-in quickly", async () => {
    const res = await fetch(url("/sign-in"));
    const html = await res.text();
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    // Time from navigation start to the rendered form, in the page's own clock, recorded
    // by an observer installed before any page script runs. Each sample is a fresh
    // profile (nothing cached, no service worker); the median of 3 damps machine noise.
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const fresh = await browser.newContext({ locale: "en-US" });
      await fresh.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (!document.querySelector("main h1 + form")) return;
          (window as unknown as { renderedAt: number }).renderedAt = performance.now();
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true });
      });
      const p = await newPage(fresh);
      await p.goto(url("/"));
      await heading(p, "Sign in").waitFor();
      samples.push(await p.evaluate(() => (window as unknown as { renderedAt: number }).renderedAt));
      await fresh.close();
    }
    const median = samples.sort((a, b) => a - b)[1]!;
    console.log(`sign-in form rendered after ${samples.map(Math.round).join(", ")} ms (median ${Math.round(median)} ms)`);
    expect(median).toBeLessThan(1000);
    await page.goto(url("/"));
    await heading(page, "Sign in").waitFor();
    expect(page.url()).toBe(url("/sign-in"));
    await checkPage(page, "01-sign-in");
  });

  it("signs up with a live strength meter, field errors, and the code from the dev outbox", async () => {
    await page.getByRole("link", { name: "Create an account" }).click();
    await heading(page, "Create your account").waitFor();
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Name (optional)").fill("Web Tester");
    const pw = page.getByLabel("Password", { exact: true });
    await pw.fill("short");
    await expect.poll(() => page.locator(".strength-text").textContent()).toContain("Too short: 5 of 15");
    await pw.fill("aaaaaaaaaaaaaaaaaaaa");
    await expect.poll(() => page.locator(".strength-text").textContent()).toContain("Weak");
    // The server's policy reason is shown on the field.
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.locator("#password-error").textContent()).toMatch(/repeated|common/i);
    expect(await pw.getAttribute("aria-invalid")).toBe("true");
    await pw.fill(password);
    await expect.poll(() => page.locator(".strength-text").textContent()).toMatch(/Good|Strong/);
    await checkPage(page, "02-sign-up");
    await page.getByRole("button", { name: "Create account" }).click();

    await heading(page, "Check your email").waitFor();
    expect(page.url()).toContain("/verify?email=");
    const otp = page.getByLabel("6-digit code");
    expect(await otp.getAttribute("autocomplete")).toBe("one-time-code");
    expect(await otp.getAttribute("inputmode")).toBe("numeric");
    await expect.poll(() => page.locator(".countdown").textContent()).toMatch(/expires in 9:5\d|expires in 10:00/);
    await checkPage(page, "03-verify");
    // A wrong code: the sixth digit submits it; the API's error shows, nothing lost. Certainly
    // wrong: the real code with its last digit changed (a fixed "000000" is right once in a million).
    const message = await waitForMessage(server.origin, email, /verification code/);
    const real = codeIn(message);
    await otp.fill(`${real.slice(0, 5)}${(Number(real[5]) + 1) % 10}`);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("not correct");
    // Pasting "123 456" style text keeps only the digits.
    await otp.fill("");
    await otp.focus();
    await page.evaluate((code) => {
      const input = document.activeElement as HTMLInputElement;
      const data = new DataTransfer();
      data.setData("text/plain", `${code.slice(0, 3)} ${code.slice(3)}`);
      input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, codeIn(message));
    await expect.poll(() => otp.inputValue()).toBe(codeIn(message)); // and the sixth digit submits
    await heading(page, "Welcome, Web Tester").waitFor();
    expect(page.url()).toBe(url("/dashboard"));
    await checkPage(page, "04-dashboard");
    // In-app navigation from the sidebar moves focus to the new page's heading.
    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Profile" }).click();
    await heading(page, "Profile").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    expect(await page.getByRole("link", { name: "Profile" }).getAttribute("aria-current")).toBe("page");
    await expect.poll(() => page.locator(".profile").textContent()).toContain(email);
    await checkPage(page, "04-profile");
  });

  it("stays signed in after a reload, with no token in web storage", async () => {
    await page.reload();
    await heading(page, "Profile").waitFor();
    expect(page.url()).toBe(url("/profile"));
    // The old address leads to the dashboard.
    await page.goto(url("/account"));
    await overview(page).waitFor();
    expect(page.url()).toBe(url("/dashboard"));
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // no JWT
    expect(stored.toLowerCase()).not.toContain("token");
    expect(stored).not.toContain(password);
    const cookies = await main.cookies(url("/api/auth/refresh"));
    expect(cookies.find((c) => c.name === "__Host-edge-refresh")).toMatchObject({ httpOnly: true, path: "/" });
  });

  it("shows only the sections this deployment has, a 403 for admin pages and a 404 for unknown ones", async () => {
    const nav = page.getByRole("navigation", { name: "Account" });
    await page.goto(url("/dashboard"));
    await overview(page).waitFor();
    const labels = await nav.getByRole("link").allTextContents();
    expect(labels.map((l) => l.trim())).toEqual(["Overview", "Profile", "Security", "Sessions & devices", "Activity", "Organizations"]);
    await expect.poll(() => nav.getByRole("button", { name: "Sign out" }).count()).toBe(1);
    await page.goto(url("/settings/nowhere"));
    await heading(page, "Page not found").waitFor();
    await checkPage(page, "20-dashboard-not-found");

    // A deployment without organizations (feature discovery reads the OpenAPI
    // document): the section disappears and its address is a 404. Admin stays hidden and
    // answers 403 for someone who is not a platform admin.
    const context = await browser.newContext({ locale: "en-US" });
    await context.route("**/api/openapi.json", async (route) => {
      const doc = (await (await route.fetch()).json()) as { paths: Record<string, object> };
      delete doc.paths["/api/orgs"];
      await route.fulfill({ json: doc });
    });
    const p = await newPage(context);
    await signIn(p, email, password);
    await overview(p).waitFor();
    await p.getByRole("link", { name: "Sessions & devices" }).waitFor();
    expect(await p.getByRole("link", { name: "Organizations" }).count()).toBe(0);
    expect(await p.getByRole("link", { name: "Admin" }).count()).toBe(0);
    await p.goto(url("/orgs"));
    await heading(p, "Page not found").waitFor();
    await p.goto(url("/admin/users"));
    await heading(p, "Not allowed").waitFor();
    await checkPage(p, "21-forbidden");
    await context.close();
  });

  it("collapses the sidebar into a remembered menu on a phone", async () => {
    const phone = await browser.newContext({ locale: "en-US", viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true });
    const p = await newPage(phone);
    await signIn(p, email, password);
    await overview(p).waitFor();
    const menu = p.getByRole("button", { name: "Menu" });
    const nav = p.getByRole("navigation", { name: "Account" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.isVisible()).toBe(false);
    await checkPage(p, "22-dashboard-phone");
    await menu.tap();
    await nav.waitFor();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await checkPage(p, "23-dashboard-phone-menu");
    await p.reload();
    await overview(p).waitFor();
    await nav.waitFor(); // still open after a reload
    await nav.getByRole("link", { name: "Security" }).tap();
    await heading(p, "Security").waitFor();
    expect(await nav.isVisible()).toBe(false); // choosing a page closes it
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await checkPage(p, "24-security-phone");
    await phone.close();
  });

  it("signs out another session from the dashboard", async () => {
    const other = await browser.newContext({ locale: "en-US" });
    const otherPage = await newPage(other);
    await signIn(otherPage, email, password);
    await overview(otherPage).waitFor();

    await page.goto(url("/settings/sessions"));
    await heading(page, "Sessions & devices").waitFor();
    const sessions = page.getByRole("main");
    await expect.poll(() => sessions.getByRole("listitem").count()).toBeGreaterThanOrEqual(2);
    const others = sessions.getByRole("listitem").filter({ hasNot: page.getByText("This device") });
    await others.first().getByRole("button").click();
    await expect.poll(() => page.locator(".toasts").textContent()).toContain("That device was signed out");
    expect(await page.locator(".toasts").getAttribute("aria-live")).toBe("polite");
    await checkPage(page, "05-sessions");
    // The other browser's refresh now fails: it lands on the sign-in page after a reload.
    await otherPage.reload();
    await heading(otherPage, "Sign in").waitFor();
    await other.close();
  });

  it("changes the password: field error for a wrong current password, then success", async () => {
    await page.getByRole("link", { name: "Security" }).click();
    await heading(page, "Security").waitFor();
    const form = page.getByRole("region", { name: "Change password" });
    await form.getByLabel("Current password").fill("not my password at all");
    await form.getByLabel("New password").fill(newPassword);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.locator("#currentPassword-error").textContent()).toContain("not correct");
    await form.getByLabel("Current password").fill(password);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.locator(".toasts").textContent()).toContain("Your password was changed");
    await screenshot(page, "06-password-changed");
    password = newPassword;

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await heading(page, "Sign in").waitFor();
    await signIn(page, email, "lantern orchard velvet 2187");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("not correct");
    await checkPage(page, "07-sign-in-error");
    await signIn(page, email, password);
    await overview(page).waitFor();
  });

  it("shows a security checklist and adds a phone from the Security page", async () => {
    const digits = String(Date.now() % 100_000_000).padStart(8, "0");
    await page.goto(url("/dashboard"));
    const checklist = page.getByRole("region", { name: "Security checklist" });
    const item = (name: string) => checklist.getByRole("listitem").filter({ hasText: name });
    await expect.poll(() => item("Email address verified").textContent()).toContain("Done");
    await expect.poll(() => item("Phone number added").textContent()).toContain("To do");
    await expect.poll(() => item("No unknown devices").count()).toBe(1);
    await expect.poll(() => page.getByRole("region", { name: "Latest activity" }).getByRole("listitem").count()).toBe(5);
    await item("Phone number added").getByRole("link", { name: "Add a phone" }).click();
    await heading(page, "Security").waitFor();

    const card = page.getByRole("region", { name: "Phone", exact: true });
    await card.getByRole("button", { name: "Add a phone number" }).click();
    // Typed in international form: read as Brazilian whatever the picker showed.
    await card.getByLabel("Phone number", { exact: true }).fill(`+55 11 9${digits.slice(0, 4)} ${digits.slice(4)}`);
    await expect.poll(() => card.getByRole("combobox", { name: "Country" }).inputValue()).toBe("Brazil (+55)");
    // The picker searches by calling code and ISO code too; axe runs with it open.
    const picker = card.getByRole("combobox", { name: "Country" });
    await picker.fill("+351");
    await expect.poll(() => card.getByRole("listbox").getByRole("option").allTextContents()).toEqual([expect.stringContaining("Portugal")]);
    await picker.fill("JP");
    await expect.poll(() => card.getByRole("listbox").getByRole("option").first().textContent()).toContain("Japan");
    await checkPage(page, "26-country-picker-open");
    await page.keyboard.press("Escape");
    await expect.poll(() => picker.inputValue()).toBe("Brazil (+55)");
    await checkPage(page, "27-security-add-phone");
    await card.getByRole("button", { name: "Send code" }).click();
    const sms = await waitForMessage(server.origin, `+55119${digits}`, /code/);
    await card.getByLabel("6-digit code").fill(codeIn(sms));
    await expect.poll(() => page.locator(".toasts").textContent()).toContain("Your phone number was confirmed");
    await expect.poll(() => card.textContent()).toContain(`+55119${digits}`);
    await page.getByRole("link", { name: "Overview" }).click();
    await expect.poll(() => item("Phone number added").textContent()).toContain("Done");
  });

  it("resets a forgotten password with the emailed code", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const p = await newPage(context);
    await p.goto(url("/sign-in"));
    await p.getByRole("link", { name: "Forgot your password?" }).click();
    await heading(p, "Reset your password").waitFor();
    await checkPage(p, "08-forgot-password");
    const asked = Date.now() - 1000;
    await p.getByLabel("Email address").fill(email);
    await p.getByRole("button", { name: "Send reset code" }).click();
    await heading(p, "Choose a new password").waitFor();
    const message = await waitForMessage(server.origin, email, /reset code/, asked);
    await p.getByLabel("6-digit code").fill(codeIn(message));
    await p.getByLabel("New password", { exact: true }).fill(resetPassword);
    await checkPage(p, "09-reset-password");
    await p.getByRole("button", { name: "Set new password" }).click();
    // A reset hashes the new password and checks it against the recent ones (Argon2id each):
    // on a loaded machine that takes longer than expect.poll's default second.
    await expect.poll(() => p.getByRole("status").first().textContent(), { timeout: 15_000 }).toContain("Your password was changed");
    await signIn(p, email, resetPassword);
    await overview(p).waitFor();
    password = resetPassword;
    await context.close();
  });

  /** Signs up through the SPA in `p`; returns when the verify page shows. */
  async function signUpInBrowser(p: Page, who: string) {
    await p.goto(url("/sign-up"));
    await p.getByLabel("Email address").fill(who);
    await p.getByLabel("Password", { exact: true }).fill(password);
    await p.getByRole("button", { name: "Create account" }).click();
    await heading(p, "Check your email").waitFor();
  }

  it("sends a pending sign-up from sign-in to verification with a fresh code", async () => {
    const pending = `late.${Date.now().toString(36)}@example.com`;
    const context = await browser.newContext({ locale: "en-US" });
    const p = await newPage(context);
    await signUpInBrowser(p, pending);
    await waitForMessage(server.origin, pending, /verification code/);
    // The account does not exist until its code is redeemed: sign-in offers to finish.
    await signIn(p, pending, password);
    await expect.poll(() => p.getByText("Verify your email address first").count()).toBe(1);
    const asked = Date.now() - 1000;
    await p.getByRole("link", { name: "Verify email" }).click();
    await heading(p, "Check your email").waitFor();
    await expect.poll(() => p.getByText("a new code is on its way").count()).toBe(1);
    const fresh = await waitForMessage(server.origin, pending, /verification code/, asked);
    await p.getByLabel("6-digit code").fill(codeIn(fresh));
    await overview(p).waitFor();
    await context.close();
  });

  it("redeems emailed links only on a click: loading the page (as a mail scanner would) spends nothing", async () => {
    const who = `links.${Date.now().toString(36)}@example.com`;
    const context = await browser.newContext({ locale: "en-US" });
    const p = await newPage(context);
    const redeems: string[] = [];
    p.on("request", (r) => {
      if (r.method() === "POST" && /\/api\/auth\/(verify-email|otp\/verify)$/.test(r.url())) redeems.push(r.url());
    });
    await signUpInBrowser(p, who);
    const verification = await waitForMessage(server.origin, who, /verification code/);
    await p.goto(linkIn(verification));
    await heading(p, "Verify your email").waitFor();
    await p.waitForLoadState("networkidle");
    expect(redeems).toEqual([]);
    expect(p.url()).toBe(url("/verify-email")); // the token left the address bar
    await checkPage(p, "15-verify-link");
    await p.getByRole("button", { name: "Verify my email" }).click();
    await overview(p).waitFor();
    expect(redeems).toHaveLength(1);

    const asked = Date.now() - 1000;
    const sent = await fetch(url("/api/auth/otp/send"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: who }),
    });
    expect(sent.status).toBe(202);
    const magic = await waitForMessage(server.origin, who, /code/, asked);
    const scanner = await newPage(await browser.newContext({ locale: "en-US" }));
    await scanner.goto(linkIn(magic));
    await heading(scanner, "Sign in with this link").waitFor();
    await scanner.waitForLoadState("networkidle");
    await scanner.context().close();
    await p.goto(linkIn(magic));
    await heading(p, "Sign in with this link").waitFor();
    await p.waitForLoadState("networkidle");
    expect(redeems).toHaveLength(1);
    await p.getByRole("button", { name: "Sign in" }).click();
    await overview(p).waitFor();
    expect(redeems).toHaveLength(2);
    await context.close();
  });

  it("signs in with a one-time code sent by email", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const p = await newPage(context);
    await p.goto(url("/sign-in"));
    await p.getByRole("link", { name: "Sign in with a one-time code" }).click();
    await heading(p, "Sign in with a code").waitFor();
    await checkPage(p, "17-code-sign-in");
    const asked = Date.now() - 1000;
    await p.getByLabel("Email address").fill(email);
    await p.getByRole("button", { name: "Send code" }).click();
    const message = await waitForMessage(server.origin, email, /is your .* code/, asked);
    await p.getByLabel("6-digit code").fill(codeIn(message));
    await overview(p).waitFor();
    await context.close();
  });

  it("signs up with a phone in guided steps (channel choice, server's resend wait), resuming after a reload", async () => {
    const national = `6${String(Date.now() % 100_000_000).padStart(8, "0")}`;
    const phoneEmail = `phone.${Date.now().toString(36)}@example.com`;
    const context = await browser.newContext({ locale: "es-ES" });
    // wrangler dev's stand-in request.cf says US; a real caller's country would be used. With
    // no country from the server, the picker falls back to the browser language (es-ES).
    await context.route("**/api/auth/phone/options", async (route) => route.fulfill({ json: { ...(await (await route.fetch()).json()), country: null } }));
    const p = await newPage(context);
    await p.goto(url("/sign-up"));
    await p.getByLabel("Idioma").selectOption("en");
    await p.getByRole("link", { name: "Sign up with a phone number instead" }).click();
    await heading(p, "Sign up with your phone").waitFor();
    const country = p.getByRole("combobox", { name: "Country" });
    await expect.poll(() => country.inputValue()).toBe("Spain (+34)");
    const number = p.getByLabel("Phone number", { exact: true });
    await number.pressSequentially(national);
    expect(await number.inputValue()).toBe(`${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`);
    // Only the channels the server offers (wrangler.toml: sms, whatsapp, telegram).
    const channels = p.getByRole("group", { name: "Send the code by" });
    await expect.poll(() => channels.getByRole("radio").count()).toBe(3);
    await channels.getByLabel("WhatsApp").check();
    await checkPage(p, "18-phone-sign-up");
    const sent = p.waitForResponse("**/api/auth/signup/phone/start");
    await p.getByRole("button", { name: "Send code" }).click();
    await p.getByText("Step 2 of 5").waitFor();
    const wait = resendWait((await sent).headers().ratelimit);
    await expect.poll(() => p.locator(".timers").textContent()).toMatch(countdownNear(wait));

    // A reload resumes at the same step (the server is asked where the sign-up stands).
    await p.reload();
    await p.getByText("Step 2 of 5").waitFor();
    const sms = await waitForMessage(server.origin, `+34${national}`, /code/);
    expect(sms.channel).toBe("whatsapp");
    await p.getByLabel("6-digit code").fill(codeIn(sms)); // the sixth digit submits
    await p.getByText("Step 3 of 5").waitFor();
    await p.getByLabel("Email address").fill(phoneEmail);
    await p.getByRole("button", { name: "Send code" }).click();
    await p.getByText("Step 4 of 5").waitFor();
    const mail = await waitForMessage(server.origin, phoneEmail, /code/);
    await p.getByLabel("6-digit code").fill(codeIn(mail));
    await p.getByText("Step 5 of 5").waitFor();
    await checkPage(p, "19-phone-sign-up-password");
    await p.getByRole("button", { name: "Finish" }).click(); // passwordless
    await overview(p).waitFor();
    await p.goto(url("/profile"));
    await expect.poll(() => p.locator(".profile").textContent()).toContain(`+34${national}`);
    expect(await p.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes("phone-sign-up")))).toEqual([]);
    await p.getByRole("button", { name: "Sign out" }).click();
    await heading(p, "Sign in").waitFor();

    // Signing in by SMS code: the number typed in international form ("0034 …") is read as
    // Spanish whatever country the picker shows, and the resend wait is the server's.
    await p.goto(url("/sign-in/code"));
    await p.getByRole("radio", { name: "Phone" }).check();
    await p.getByRole("combobox", { name: "Country" }).fill("united states");
    await p.keyboard.press("Enter");
    await expect.poll(() => p.getByRole("combobox", { name: "Country" }).inputValue()).toBe("United States (+1)");
    await p.getByLabel("Phone number", { exact: true }).fill(`0034 ${national}`);
    await expect.poll(() => p.getByRole("combobox", { name: "Country" }).inputValue()).toBe("Spain (+34)");
    const asked = Date.now() - 1000;
    const codeSent = p.waitForResponse("**/api/auth/otp/send");
    await p.getByRole("button", { name: "Send code" }).click();
    const signInWait = resendWait((await codeSent).headers().ratelimit);
    await expect.poll(() => p.locator(".timers").textContent()).toMatch(countdownNear(signInWait));
    await checkPage(p, "25-code-sign-in-phone");
    const code = await waitForMessage(server.origin, `+34${national}`, /code/, asked);
    expect(code.channel).toBe("sms");
    expect(code.text).toMatch(/@127\.0\.0\.1 #\d{6}$/); // the WebOTP line
    await p.getByLabel("6-digit code").fill(codeIn(code));
    await overview(p).waitFor();
    await context.close();
  });

  it("works with the keyboard alone", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const p = await newPage(context);
    await p.goto(url("/sign-in"));
    await heading(p, "Sign in").waitFor();
    await p.keyboard.press("Tab");
    expect(await p.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await p.keyboard.press("Enter"); // skip link -> main
    for (let i = 0; i < 5 && (await p.evaluate(() => document.activeElement?.id)) !== "email"; i++) await p.keyboard.press("Tab");
    expect(await p.evaluate(() => document.activeElement?.id)).toBe("email");
    await p.keyboard.type(email);
    await p.keyboard.press("Tab");
    await p.keyboard.type(password);
    await p.keyboard.press("Enter");
    await overview(p).waitFor();
    await context.close();
  });

  it("switches language, remembers it, and follows the browser language", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const p = await newPage(context);
    await p.goto(url("/sign-in"));
    await heading(p, "Sign in").waitFor();
    await p.getByLabel("Language").selectOption("es");
    await heading(p, "Iniciar sesión").waitFor();
    expect(await p.evaluate(() => document.documentElement.lang)).toBe("es");
    await p.reload();
    await heading(p, "Iniciar sesión").waitFor();
    await checkPage(p, "10-sign-in-es");
    await p.getByLabel("Correo electrónico").fill("nobody@example.com");
    await p.getByLabel("Contraseña", { exact: true }).fill("wrong wrong wrong 1");
    await p.getByRole("button", { name: "Iniciar sesión" }).click();
    await expect.poll(() => p.getByRole("alert").textContent()).toContain("no son correctos");
    await context.close();

    const spanish = await browser.newContext({ locale: "es-MX" });
    const q = await newPage(spanish);
    await q.goto(url("/sign-up"));
    await heading(q, "Crea tu cuenta").waitFor();
    // Right-to-left: force dir=rtl and check that the layout mirrors without overflow.
    await q.evaluate(() => (document.documentElement.dir = "rtl"));
    const box = await q.locator(".card").boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(await q.evaluate(() => document.documentElement.clientWidth));
    expect(await q.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await screenshot(q, "11-sign-up-es-rtl");
    await spanish.close();
  });

  it("keeps typed input offline, says so, serves the shell, and sends when back online", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const p = await newPage(context);
    await p.goto(url("/forgot-password"));
    await heading(p, "Reset your password").waitFor();
    await p.evaluate(async () => void (await navigator.serviceWorker.ready));
    await p.getByLabel("Email address").fill(email);

    await context.setOffline(true);
    await p.getByText("You are offline").first().waitFor();
    // The service worker serves the app shell; the draft (email only) survives the reload.
    await p.reload();
    await heading(p, "Reset your password").waitFor();
    expect(await p.getByLabel("Email address").inputValue()).toBe(email);
    await p.getByRole("button", { name: "Send reset code" }).click();
    await expect.poll(() => p.getByRole("status").filter({ hasText: "as soon as" }).count()).toBe(1);
    await checkPage(p, "12-offline-form");

    const sent = Date.now() - 1000;
    await context.setOffline(false);
    await heading(p, "Choose a new password").waitFor();
    await waitForMessage(server.origin, email, /reset code/, sent);

    // The code countdown pauses while offline (on the code page of a pending sign-up).
    await p.evaluate((who) => localStorage.setItem("edge-auth.registration", JSON.stringify({ email: who, token: "A".repeat(43) })), email);
    await p.goto(url(`/verify?email=${encodeURIComponent(email)}`));
    await heading(p, "Check your email").waitFor();
    await context.setOffline(true);
    await p.getByText("Timer paused").waitFor();
    const frozen = await p.locator(".countdown").textContent();
    await p.waitForTimeout(1500);
    expect(await p.locator(".countdown").textContent()).toBe(frozen);
    await context.setOffline(false);
    await context.close();
  });

  // The `online` event re-renders the page, and the queued resend must survive that render
  // (useWhenOnline in src/web/ui/online.ts). The page clock is paused past the resend wait,
  // so effects of the latest render stay pending when the connection returns, which is when
  // a listener re-added per render got lost: with the clock running it was a matter of luck.
  it("queues a resend asked for offline and sends it when the connection returns", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const p = await newPage(context);
    await p.clock.install(); // the resend wait runs on timers: fast-forwarded, not slept
    await signUpInBrowser(p, `resend.${Date.now().toString(36)}@example.com`);
    await p.getByText(/new code in 0:30/).waitFor();
    await p.clock.pauseAt((await p.evaluate(() => Date.now())) + 31_000);
    const resend = p.getByRole("button", { name: "Send a new code" });
    await resend.waitFor();
    await context.setOffline(true);
    await resend.click();
    await p.getByText("We will ask for a new code when the connection returns").waitFor();
    await context.setOffline(false);
    // Shown only for the server's 202 to the resend (the service worker lets /api through).
    await p.getByText("a new code is on its way").waitFor();
    await context.close();
  });

  it("shows 404, error and link landing pages", async () => {
    await page.goto(url("/no-such-page"));
    await heading(page, "Page not found").waitFor();
    await checkPage(page, "13-not-found");
    await page.goto(url("/error"));
    await heading(page, "Something went wrong").waitFor();
    await checkPage(page, "14-error");
    await page.goto(url(`/sign-in/link?token=${"x".repeat(43)}`));
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading(page, "This link did not work").waitFor();
    expect(page.url()).toBe(url("/sign-in/link")); // the token left the address bar
    await checkPage(page, "15-link-failed");
    await page.goto(url("/oauth/error?code=access_denied"));
    await heading(page, "This link did not work").waitFor();
    await screenshot(page, "16-oauth-error");
  });

  it("logged no console errors, CSP violations or exceptions", () => {
    expect(pageProblems.flat()).toEqual([]);
  });
});
