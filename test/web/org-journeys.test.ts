// Organization journeys in the browser, on a deployment with the README's building
// template (owner / manager / resident): a manager invites a resident who signs up
// through the emailed link and sees only that building; and a deployment in invite-only
// mode refuses a plain sign-up. axe-core on every page; screenshots for review.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeIn, launchChromium, linkIn, migrate, openPage, type Server, signUpViaOutbox, startWrangler, totp, waitForMessage, checkPage } from "./harness";

const BUILDING_TEMPLATE = JSON.stringify([
  { key: "owner", name: "Owner", permissions: [] },
  { key: "manager", name: "Manager", permissions: ["org:update", "members:read", "members:manage", "invitations:manage"] },
  { key: "resident", name: "Resident", permissions: [] },
]);

let server: Server;
let stateDir: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[][] = [];
const stamp = Date.now().toString(36);
const password = "granite willow saffron 4417";
const url = (path: string) => `${server.origin}${path}`;
const heading = (p: Page, name: string | RegExp) => p.getByRole("heading", { level: 1, name });

async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ locale: "en-US" });
  contexts.push(context);
  const w = await openPage(context);
  problems.push(w.problems);
  return w.page;
}

/** Signs up through the ordinary form and the emailed code; lands on the dashboard. */
async function signUp(p: Page, email: string, name: string) {
  await p.goto(url("/sign-up"));
  await p.getByLabel("Email address").fill(email);
  await p.getByLabel("Name (optional)").fill(name);
  await p.getByLabel("Password", { exact: true }).fill(password);
  await p.getByRole("button", { name: "Create account" }).click();
  await heading(p, "Check your email").waitFor();
  const message = await waitForMessage(server.origin, email, /verification code/);
  await p.getByLabel("6-digit code").fill(codeIn(message)); // the sixth digit submits
  await heading(p, `Welcome, ${name}`).waitFor();
}

async function createBuilding(p: Page, name: string): Promise<string> {
  await p.goto(url("/orgs"));
  await heading(p, "Organizations").waitFor();
  await p.getByLabel("Name", { exact: true }).fill(name);
  await p.getByLabel("Kind (optional)").fill("building");
  await p.getByRole("button", { name: "Create", exact: true }).click();
  await heading(p, name).waitFor();
  return new URL(p.url()).pathname.split("/").pop()!;
}

async function inviteFromOrgPage(p: Page, email: string, role: string) {
  const card = p.locator("#org-invitations-title").locator("..");
  await card.getByLabel("Email address").fill(email);
  await card.getByLabel("Role").selectOption({ label: role });
  await card.getByRole("button", { name: "Send invitation" }).click();
  await expect.poll(() => card.getByRole("status").first().textContent()).toContain(`Invitation sent to ${email}`);
  return linkIn(await waitForMessage(server.origin, email, /invited to join/));
}

async function joinThroughLink(p: Page, link: string, email: string, name: string, building: string) {
  await p.goto(link);
  await heading(p, `Join ${building}`).waitFor();
  await p.getByLabel("Email address").fill(email);
  await p.getByLabel("Name (optional)").fill(name);
  await p.getByLabel("Password", { exact: true }).fill(password);
  await p.getByRole("button", { name: "Create account and join" }).click();
  await heading(p, building).waitFor();
}

beforeAll(async () => {
  // A state directory this test can reach too: the admin journey grants with `npm run admin:grant -- --persist-to`.
  stateDir = mkdtempSync(join(tmpdir(), "edge-auth-orgs-web-"));
  migrate(stateDir);
  [server, browser] = await Promise.all([startWrangler({ vars: { ORG_ROLE_TEMPLATE: BUILDING_TEMPLATE }, persistDir: stateDir }), launchChromium()]);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("organization journeys", () => {
  it("a manager invites a resident, who signs up through the link and sees only that building", async () => {
    const owner = await freshPage();
    await signUp(owner, `owner.${stamp}@example.com`, "Olga Owner");
    const buildingA = await createBuilding(owner, "Building A");
    await checkPage(owner, "40-org-settings");
    const buildingB = await createBuilding(owner, "Building B");
    expect(buildingB).not.toBe(buildingA);

    // The owner makes a manager of Building A, through an invitation.
    await owner.goto(url(`/orgs/${buildingA}`));
    await heading(owner, "Building A").waitFor();
    const managerEmail = `manager.${stamp}@example.com`;
    const managerLink = await inviteFromOrgPage(owner, managerEmail, "Manager");
    const manager = await freshPage();
    await joinThroughLink(manager, managerLink, managerEmail, "Mario Manager", "Building A");

    // The manager invites a resident (a manager may not hand out ownership: the role list says so at the server).
    const residentEmail = `resident.${stamp}@example.com`;
    const residentLink = await inviteFromOrgPage(manager, residentEmail, "Resident");
    await checkPage(manager, "41-org-members-invitations");
    const resident = await freshPage();
    await resident.goto(residentLink);
    await heading(resident, "Join Building A").waitFor();
    await expect.poll(() => resident.locator("main").textContent()).toContain("Resident");
    await checkPage(resident, "42-invitation-landing");
    await joinThroughLink(resident, residentLink, residentEmail, "Rosa Resident", "Building A");
    await checkPage(resident, "43-resident-building");

    // Read-only: no member list, no invitations, no settings; the switcher offers Building A only.
    expect(await resident.locator("#org-members-title").count()).toBe(0);
    expect(await resident.locator("#org-invitations-title").count()).toBe(0);
    const switcher = resident.getByLabel("Organization", { exact: true });
    await expect.poll(async () => (await switcher.locator("option").allTextContents()).map((s) => s.trim())).toEqual(["None", "Building A"]);
    await resident.goto(url("/orgs"));
    await heading(resident, "Organizations").waitFor();
    await expect.poll(() => resident.locator("#orgs-mine-title").locator("..").getByRole("link").allTextContents()).toEqual(["Building A"]);
    await resident.goto(url(`/orgs/${buildingB}`));
    await heading(resident, "Organization not found").waitFor();

    // The manager sees the resident among the members; the used link is dead.
    await manager.goto(url(`/orgs/${buildingA}`));
    await expect.poll(() => manager.locator("#org-members-title").locator("..").textContent()).toContain("Rosa Resident");
    await resident.goto(residentLink);
    await heading(resident, "This invitation is no longer valid").waitFor();
  });

  it("invite-only mode refuses a plain sign-up and says why", async () => {
    const closed = await startWrangler({ vars: { REGISTRATION_MODE: "invite-only" } });
    try {
      const p = await freshPage();
      await p.goto(`${closed.origin}/sign-up`);
      await heading(p, "Create your account").waitFor();
      await p.getByLabel("Email address").fill(`closed.${stamp}@example.com`);
      await p.getByLabel("Password", { exact: true }).fill(password);
      await p.getByRole("button", { name: "Create account" }).click();
      await expect.poll(() => p.getByRole("alert").first().textContent()).toContain("Sign-up is by invitation only.");
      expect(new URL(p.url()).pathname).toBe("/sign-up");
      await checkPage(p, "44-invite-only-sign-up");
    } finally {
      await closed.stop();
    }
  });

  it("a platform admin (granted by npm run admin:grant) finds a user, resets their second factors, and acts as them behind a banner, then ends it", async () => {
    const adminEmail = `ops.${stamp}@example.com`;
    const targetEmail = `customer.${stamp}@example.com`;
    await signUpViaOutbox(server.origin, adminEmail, password, "Ada Admin");
    // The customer has an authenticator app (set up through the API), which the admin resets.
    const customer = (await signUpViaOutbox(server.origin, targetEmail, password, "Carl Customer")) as { accessToken: string };
    const asCustomer = { authorization: `Bearer ${customer.accessToken}`, "content-type": "application/json" };
    const setup = (await (await fetch(url("/api/me/mfa/totp/setup"), { method: "POST", headers: asCustomer })).json()) as { secret: string };
    const confirmed = await fetch(url("/api/me/mfa/totp/confirm"), {
      method: "POST",
      headers: asCustomer,
      body: JSON.stringify({ code: totp(setup.secret, Date.now()) }),
    });
    expect(confirmed.status).toBe(200);
    const grant = spawnSync(process.execPath, ["scripts/admin-grant.mjs", adminEmail, "--persist-to", stateDir], {
      cwd: join(import.meta.dirname, "../.."),
      encoding: "utf8",
    });
    expect(grant.status, grant.stderr).toBe(0);

    const p = await freshPage();
    await p.goto(url("/sign-in"));
    await p.getByLabel("Email address").fill(adminEmail);
    await p.getByLabel("Password", { exact: true }).fill(password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await heading(p, "Welcome, Ada Admin").waitFor();
    await p.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Admin" }).click();
    await heading(p, "Admin").waitFor();
    await p.getByLabel("Find users").fill(targetEmail);
    await p.getByRole("button", { name: "Search" }).click();
    await p.getByRole("link", { name: targetEmail }).click();
    await heading(p, "Carl Customer").waitFor();
    await checkPage(p, "45-admin-user");

    p.once("dialog", (d) => void d.accept()); // the confirmation
    await p.getByRole("button", { name: "Reset second factors" }).click();
    await p.getByText("Removed the authenticator app, the recovery codes and 0 passkeys.").waitFor();
    const mfa = await fetch(url("/api/me/mfa"), { headers: asCustomer });
    expect(await mfa.json()).toEqual({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });

    await p.getByRole("button", { name: "Sign in as this user" }).click();
    await heading(p, "Welcome, Carl Customer").waitFor();
    await expect.poll(() => p.getByRole("status").filter({ hasText: "You are acting as Carl Customer" }).count()).toBe(1);
    await checkPage(p, "46-impersonation-banner");
    await p.getByRole("button", { name: "End" }).click();
    await heading(p, "Admin").waitFor();
    expect(await p.getByText("You are acting as").count()).toBe(0);
  });

  it("logged no console errors, CSP violations or exceptions", () => {
    expect(problems.flat()).toEqual([]);
  });
});
