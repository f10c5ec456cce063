// Browser journeys for second factors, against `wrangler dev` at http://localhost:PORT
// (PUBLIC_URL to match: browsers refuse an IP address as a WebAuthn RP ID):
//  - set up an authenticator app from the security page, keep the recovery codes, sign out
//    and sign in again with a code computed here from the secret (RFC 6238);
//  - add a passkey with Chromium's virtual authenticator (CDP WebAuthn domain) and sign in
//    with it alone, from the email field's autofill and from the "Use a passkey" button.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain JS helper shared with the other Node-side tests
import { signUpViaOutbox } from "../../scripts/local-server.mjs";
import { launchChromium, openPage, type Server, startWrangler, totp, checkPage } from "./harness";

let server: Server;
let browser: Browser;
const problems: string[][] = [];
const url = (path: string) => `${server.origin}${path}`;
const password = "lantern orchard velvet 2187";

async function signedInPage(context: BrowserContext, email: string): Promise<Page> {
  const w = await openPage(context);
  problems.push(w.problems);
  const p = w.page;
  await p.goto(url("/sign-in"));
  await p.getByLabel("Email address").fill(email);
  await p.getByLabel("Password", { exact: true }).fill(password);
  await p.getByRole("button", { name: "Sign in", exact: true }).click();
  return p;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startWrangler({ host: "localhost" }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("second factors in the browser", () => {
  it("sets up an authenticator app, shows the recovery codes once, and signs in with a code", async () => {
    const email = `totp.${Date.now().toString(36)}@example.com`;
    await signUpViaOutbox(server.origin, email, password);
    const context = await browser.newContext({ locale: "en-US" });
    const p = await signedInPage(context, email);
    await p.getByRole("heading", { level: 1, name: /^Welcome/ }).waitFor();
    await p.goto(url("/settings/security"));
    await p.getByRole("button", { name: "Set up an authenticator app" }).click();
    await p.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
    await checkPage(p, "mfa-01-totp-setup");
    const secret = (await p.locator("#totp-secret").textContent())!.trim();
    const confirmedAt = Date.now();
    // Auto-submit: six digits are enough, no button press.
    await p.getByLabel("Code").fill(totp(secret, confirmedAt));
    const codes = p.getByRole("list", { name: "Recovery codes" });
    await codes.waitFor();
    expect(await codes.getByRole("listitem").count()).toBe(10);
    const download = await p.getByRole("link", { name: "Download as a text file" }).getAttribute("href");
    const first = (await codes.getByRole("listitem").first().textContent())!.trim();
    expect(decodeURIComponent(download!)).toContain(first);
    await checkPage(p, "mfa-02-recovery-codes");
    await p.getByRole("button", { name: "I have saved them" }).click();
    await p.getByText(/Recovery codes left: 10/).waitFor();
    await context.close();

    // Sign in again: the password alone leads to the second step, not the dashboard.
    const again = await browser.newContext({ locale: "en-US" });
    const q = await signedInPage(again, email);
    await q.getByRole("heading", { level: 1, name: "Two-step verification" }).waitFor();
    await checkPage(q, "mfa-03-challenge");
    // The step used to confirm is spent; the next one is inside the ±1 window.
    await q.getByLabel("Code").fill(totp(secret, confirmedAt + 30_000));
    await q.getByRole("heading", { level: 1, name: /^Welcome/ }).waitFor();
    await again.close();
  });

  // Two ways to sign in with the passkey alone, each on its own so neither races the other.
  // Chromium's virtual authenticator answers a conditional (autofill) request at once, as a
  // user picking the passkey in the email field's list would: the sign-in page signs in by
  // itself. The button path then runs in a page whose browser offers no passkey autofill,
  // so no autofill request is pending to finish first and move the page on under the click.
  it("adds a passkey with a virtual authenticator and signs in with it alone", async () => {
    const email = `passkey.${Date.now().toString(36)}@example.com`;
    await signUpViaOutbox(server.origin, email, password);
    const context = await browser.newContext({ locale: "en-US" });
    const p = await signedInPage(context, email);
    const welcome = p.getByRole("heading", { level: 1, name: /^Welcome/ });
    await welcome.waitFor();
    const cdp = await context.newCDPSession(p);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await p.goto(url("/settings/security"));
    await p.getByLabel("Name (optional)").fill("Test laptop");
    await p.getByRole("button", { name: "Add a passkey" }).click();
    await p.getByText("Test laptop").waitFor();
    await checkPage(p, "mfa-04-passkeys");

    // Autofill: signing out lands on the sign-in page, whose autofill request the
    // authenticator answers; no password, no click. Wait for that sign-in itself: the old
    // page's heading would satisfy a bare wait before the sign-out has even happened.
    const autofilled = p.waitForResponse((r) => r.url().endsWith("/api/auth/passkey/verify") && r.status() === 200);
    await p.getByRole("button", { name: "Sign out", exact: true }).click();
    await autofilled;
    await welcome.waitFor();
    expect(new URL(p.url()).pathname).toBe("/dashboard");

    // The button: the same browser without conditional mediation (the page then makes no
    // autofill request, as in browsers that lack it).
    await p.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
    });
    await p.reload();
    await p.getByRole("button", { name: "Sign out", exact: true }).click();
    await p.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    await p.getByRole("button", { name: "Use a passkey" }).click();
    await welcome.waitFor();
    await context.close();
  });

  it("logged no console errors, CSP violations or page errors", () => {
    expect(problems.flat()).toEqual([]);
  });
});
