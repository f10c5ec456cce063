// Browser journeys of the profile page (README "Profile and account lifecycle"): edit the
// details, upload a picture (preview, progress, errors), notices, change the email and
// undo it from the old address's link, download the data, deactivate and reactivate,
// delete and keep the account. Same harness as journeys.test.ts: wrangler dev + Chromium.
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeIn, launchChromium, linkIn, openPage, type Server, startWrangler, waitForMessage, checkPage } from "./harness";

let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[][] = [];
const stamp = Date.now().toString(36);
let email = `profile.${stamp}@example.com`;
const password = "copper lantern meadow 4417";
const url = (path: string) => `${server.origin}${path}`;
// A real 1x1 PNG, so the preview and the sidebar image actually render.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

const heading = (p: Page, name: string | RegExp) => p.getByRole("heading", { level: 1, name });
const toastText = (p: Page) => p.locator(".toasts").textContent();

async function signIn(p: Page, who: string) {
  await p.goto(url("/sign-in"));
  await p.getByLabel("Email address").fill(who);
  await p.getByLabel("Password", { exact: true }).fill(password);
  await p.getByRole("button", { name: "Sign in" }).click();
}

async function openProfile(p: Page) {
  await p.goto(url("/profile"));
  await heading(p, "Profile").waitFor();
  await p.getByRole("region", { name: "Danger zone" }).waitFor();
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startWrangler(), launchChromium()]);
  const post = (path: string, json: unknown) =>
    fetch(url(path), { method: "POST", headers: { "content-type": "application/json", origin: server.origin }, body: JSON.stringify(json) });
  const registered = await post("/api/auth/register", { email, password, name: "Ada Profile" });
  expect(registered.status).toBe(202);
  const { registrationToken } = (await registered.json()) as { registrationToken: string };
  const code = codeIn(await waitForMessage(server.origin, email, /verification code/));
  expect((await post("/api/auth/verify-email", { registrationToken, code })).status).toBe(200);
  context = await browser.newContext({ locale: "en-US", acceptDownloads: true });
  const watched = await openPage(context);
  problems.push(watched.problems);
  page = watched.page;
  await signIn(page, email);
  await heading(page, /^Welcome/).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("profile journeys", () => {
  it("edits name, username, language and time zone", async () => {
    await openProfile(page);
    const details = page.getByRole("region", { name: "Your details" });
    await details.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
    await details.getByLabel("Username").fill("admin");
    await details.getByRole("button", { name: "Save profile" }).click();
    await expect.poll(() => page.locator("#username-error").textContent()).toContain("reserved");
    await details.getByLabel("Username").fill(`ada.${stamp}`);
    await details.getByLabel("Language of emails and text messages").selectOption("es");
    await details.getByLabel("Time zone").selectOption("Europe/Madrid");
    await details.getByRole("button", { name: "Save profile" }).click();
    await expect.poll(() => toastText(page)).toContain("Your profile was saved");
    await expect.poll(() => page.locator(".who-name").textContent()).toBe("Ada Lovelace");
    await checkPage(page, "p01-profile");
    // Back to English messages, so the rest of the journeys read English mail.
    await details.getByLabel("Language of emails and text messages").selectOption("en");
    await details.getByRole("button", { name: "Save profile" }).click();
    await expect.poll(() => page.locator(".toasts").getByText("Your profile was saved").count()).toBeGreaterThanOrEqual(1);
  });

  it("uploads a picture with a preview and progress; refuses a wrong file with a clear error", async () => {
    const card = page.getByRole("region", { name: "Profile picture" });
    const input = card.getByLabel("Choose an image");
    await input.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await expect.poll(() => card.getByRole("alert").textContent()).toContain("PNG, JPEG or WebP");
    // Says PNG, is not: the server reads the bytes and refuses it.
    await input.setInputFiles({ name: "fake.png", mimeType: "image/png", buffer: Buffer.from("<html>not an image</html>") });
    await card.getByRole("button", { name: "Upload picture" }).click();
    await expect.poll(() => card.getByRole("alert").textContent()).toContain("cannot be used");

    await input.setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PNG });
    await expect.poll(() => card.getByRole("img", { name: "Preview of the new picture" }).count()).toBe(1);
    await card.getByRole("button", { name: "Upload picture" }).click();
    await expect.poll(() => toastText(page)).toContain("Your picture was updated");
    const src = await page.locator(".who img.avatar").getAttribute("src");
    expect(src).toMatch(/^\/api\/avatars\/[A-Za-z0-9_-]{43}$/);
    const served = await fetch(url(src!));
    expect(served.headers.get("content-type")).toBe("image/png");
    await checkPage(page, "p02-avatar");
    await card.getByRole("button", { name: "Remove picture" }).click();
    await expect.poll(() => page.locator(".who img.avatar").count()).toBe(0);
    await expect.poll(() => page.locator(".who .avatar").textContent()).toBe("AL");
  });

  it("turns the new-device alert off; security notices stay on", async () => {
    const card = page.getByRole("region", { name: "Notifications" });
    expect(await card.getByRole("checkbox", { name: /Security notices/ }).isDisabled()).toBe(true);
    await card.getByRole("checkbox", { name: /new device/ }).uncheck();
    await expect.poll(() => toastText(page)).toContain("notification choices were saved");
  });

  it("downloads the account's data as JSON", async () => {
    const card = page.getByRole("region", { name: "Your data" });
    const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: "Download my data" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^account-export-\d{4}-\d{2}-\d{2}\.json$/);
    const doc = JSON.parse(readFileSync((await download.path())!, "utf8"));
    expect(doc.profile).toMatchObject({ email, name: "Ada Lovelace", username: `ada.${stamp}` });
  });

  it("changes the email with a code, and the old address can undo it", async () => {
    const oldEmail = email;
    const newEmail = `moved.${stamp}@example.com`;
    const card = page.getByRole("region", { name: "Email address" });
    await card.getByLabel("New email address").fill(newEmail);
    await card.getByRole("button", { name: "Send a code" }).click();
    const code = codeIn(await waitForMessage(server.origin, newEmail, /email change code/));
    await card.getByLabel("6-digit code").fill(code);
    await checkPage(page, "p03-email-code");
    await card.getByRole("button", { name: "Confirm new email" }).click();
    await expect.poll(() => toastText(page)).toContain(`Your email is now ${newEmail}`);

    const notice = await waitForMessage(server.origin, oldEmail, /email of your .* account was changed/);
    const link = linkIn({ text: notice.text.split("\n").find((l) => l.includes("/email-change/revert"))! });
    const other = await openPage(await browser.newContext({ locale: "en-US" }));
    problems.push(other.problems);
    await other.page.goto(url(new URL(link).pathname + new URL(link).search));
    await heading(other.page, "Undo the email change").waitFor();
    expect(other.page.url()).not.toContain("token=");
    await checkPage(other.page, "p04-email-revert");
    await other.page.getByRole("button", { name: "Restore my email" }).click();
    await other.page.getByText("Your email address was restored").waitFor();
    email = oldEmail;
    // Every session ended: this browser is signed out at its next refresh.
    await page.reload();
    await heading(page, "Sign in").waitFor();
  });

  it("deactivates the account, then reactivates it at sign-in", async () => {
    await signIn(page, email);
    await heading(page, /^Welcome/).waitFor();
    await openProfile(page);
    const danger = page.getByRole("region", { name: "Danger zone" });
    await danger.getByRole("button", { name: "Deactivate account" }).click();
    await danger.getByRole("button", { name: "Yes, deactivate my account" }).click();
    await heading(page, "Sign in").waitFor();
    await signIn(page, email);
    const prompt = page.getByRole("region", { name: "Reactivate your account?" });
    await prompt.waitFor();
    await checkPage(page, "p05-reactivate");
    await prompt.getByRole("button", { name: "Reactivate and sign in" }).click();
    await heading(page, /^Welcome/).waitFor();
  });

  it("deletes with a typed confirmation, then keeps the account after signing in", async () => {
    await openProfile(page);
    const danger = page.getByRole("region", { name: "Danger zone" });
    const remove = danger.getByRole("button", { name: "Delete account" });
    expect(await remove.isDisabled()).toBe(true);
    await danger.getByLabel("Type DELETE to confirm").fill("delete");
    expect(await remove.isDisabled()).toBe(true);
    await danger.getByLabel("Type DELETE to confirm").fill("DELETE");
    await checkPage(page, "p06-danger-zone");
    await remove.click();
    await heading(page, "Sign in").waitFor();
    await expect.poll(() => toastText(page)).toContain("will be deleted");
    await signIn(page, email);
    await heading(page, /^Welcome/).waitFor();
    await openProfile(page);
    await page.getByRole("button", { name: "Keep my account" }).click();
    await expect.poll(() => toastText(page)).toContain("will not be deleted");
  });

  it("logged no console errors, CSP violations or exceptions", () => {
    expect(problems.flat()).toEqual([]);
  });
});
