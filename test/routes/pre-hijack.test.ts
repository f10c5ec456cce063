// Account pre-hijacking through registration (issue 10 §2): proving a mailbox never
// activates a password the prover did not set. Each registration keeps its own pending
// record and challenge, reached only through its registrationToken.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import {
  buildRequest,
  call,
  codeFrom,
  expectProblem,
  legacyUnverifiedUser,
  linkTokenFrom,
  outbox,
  register,
  signUp,
  STRONG_PASSWORD,
  uniqueEmail,
  waitForMessages,
} from "../helpers";

const ATTACKER_PASSWORD = "the attacker knows this passphrase";
const loginStatus = async (email: string, password: string) => (await call("/api/auth/login", { json: { email, password } })).status;
const usersWith = async (email: string) => (await env.DB.prepare("select count(*) as n from users where email = ?").bind(email).first<{ n: number }>())!.n;

describe("registration cannot pre-set the password of someone else's account", () => {
  it("attacker registers first; the owner registers, resends, verifies: only the owner's password opens the account", async () => {
    const email = uniqueEmail("victim");
    const attacker = await call("/api/auth/register", { json: { email, password: ATTACKER_PASSWORD } });
    expect(attacker.status).toBe(202);
    await waitForMessages(email, 1);

    const owner = await call("/api/auth/register", { json: { email, password: STRONG_PASSWORD, name: "Owner" } });
    expect(owner.status).toBe(202);
    expect(Object.keys(owner.body).sort()).toEqual(Object.keys(attacker.body).sort());
    const { registrationToken } = owner.body;
    await waitForMessages(email, 2);
    // "Resend" re-sends the owner's OWN challenge.
    expect((await call("/api/auth/resend-verification", { json: { registrationToken } })).status).toBe(202);
    const [latest] = await waitForMessages(email, 3);
    const verified = await call("/api/auth/verify-email", { json: { registrationToken, code: codeFrom(latest!) } });
    expect(verified.status).toBe(200);
    expect(verified.body.user).toMatchObject({ email, emailVerified: true, name: "Owner" });

    expect(await loginStatus(email, ATTACKER_PASSWORD)).toBe(401);
    expect(await loginStatus(email, STRONG_PASSWORD)).toBe(200);
    expect(await usersWith(email)).toBe(1);
  });

  it("the link mailed for the attacker's registration does not open the owner's; redeeming it later never replaces the owner's password", async () => {
    const email = uniqueEmail("victim");
    const attacker = await register(email, ATTACKER_PASSWORD);
    const owner = await register(email, STRONG_PASSWORD);
    const attackerLink = linkTokenFrom(attacker.message);
    // The owner clicks the first mail (the attacker's) in their own browser: refused, and not spent.
    expectProblem(await call("/api/auth/verify-email", { json: { registrationToken: owner.registrationToken, token: attackerLink } }), 400, "invalid_code");
    expect((await call("/api/auth/verify-email", { json: { registrationToken: owner.registrationToken, code: codeFrom(owner.message) } })).status).toBe(200);
    // Even the attacker's own challenge, redeemed now, cannot touch the verified account.
    expectProblem(await call("/api/auth/verify-email", { json: { registrationToken: attacker.registrationToken, token: attackerLink } }), 409, "conflict");
    expect(await loginStatus(email, ATTACKER_PASSWORD)).toBe(401);
    expect(await loginStatus(email, STRONG_PASSWORD)).toBe(200);
  });

  it("nothing exists before the code is redeemed: signing in with the registered password fails, no row is written", async () => {
    const { email } = await register(uniqueEmail(), ATTACKER_PASSWORD);
    expect(await usersWith(email)).toBe(0);
    expectProblem(await call("/api/auth/login", { json: { email, password: ATTACKER_PASSWORD } }), 401, "invalid_credentials");
  });

  it("an unverified account left by an earlier registration: the owner gets a code (not a notice), and the old password is discarded", async () => {
    const email = uniqueEmail("victim");
    const legacyId = await legacyUnverifiedUser(email, ATTACKER_PASSWORD);
    const { registrationToken, message } = await register(email, STRONG_PASSWORD);
    expect(message.subject).toMatch(/^\d{6} is your/);
    const res = await call("/api/auth/verify-email", { json: { registrationToken, code: codeFrom(message) } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).not.toBe(legacyId);
    expect(await loginStatus(email, ATTACKER_PASSWORD)).toBe(401);
    expect(await loginStatus(email, STRONG_PASSWORD)).toBe(200);
    expect((await env.DB.prepare("select count(*) as n from password_credentials where user_id = ?").bind(legacyId).first<{ n: number }>())!.n).toBe(0);
  });

  it("an existing verified owner gets a notice; the registrant gets no code and guesses like anyone else", async () => {
    const { email } = await signUp();
    const { registrationToken, message } = await register(email, ATTACKER_PASSWORD);
    expect(message.subject).toMatch(/already have/);
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call("/api/auth/verify-email", { json: { registrationToken, code: "000000" } });
      answers.push(`${res.status} ${res.body.code}`);
    }
    expect(answers).toEqual([...Array(5).fill("400 invalid_code"), "429 too_many_attempts"]);
    expect(await loginStatus(email, ATTACKER_PASSWORD)).toBe(401);
    expect(await outbox(email)).toHaveLength(2);
  });

  it("a registration token never verifies another registration's address", async () => {
    const mine = await register();
    const other = await register();
    expectProblem(
      await call("/api/auth/verify-email", { json: { registrationToken: mine.registrationToken, token: linkTokenFrom(other.message) } }),
      400,
      "invalid_code",
    );
    expect((await call("/api/auth/verify-email", { json: { registrationToken: other.registrationToken, token: linkTokenFrom(other.message) } })).status).toBe(
      200,
    );
  });
});

/** Every D1 statement the Worker runs for one request (including its waitUntil work). */
async function d1StatementsFor(path: string, json: unknown): Promise<string[]> {
  const log: string[] = [];
  const logged = <T>(line: string, run: () => T) => {
    log.push(line);
    return run();
  };
  const counted = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => logged(sql, () => target.prepare(sql));
      if (prop === "batch") return (statements: D1PreparedStatement[]) => logged(`batch of ${statements.length}`, () => target.batch(statements));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(buildRequest(path, { json }) as Request<unknown, IncomingRequestCfProperties>, { ...env, DB: counted } as Env, ctx);
  expect(res.status).toBe(202);
  await res.text();
  await waitOnExecutionContext(ctx);
  return log;
}

describe("registration timing (issue 10 §7)", () => {
  it("takes the same D1 statements for a taken and a new address", async () => {
    const { email } = await signUp();
    const taken = await d1StatementsFor("/api/auth/register", { email, password: STRONG_PASSWORD });
    const fresh = await d1StatementsFor("/api/auth/register", { email: uniqueEmail(), password: STRONG_PASSWORD });
    expect(taken.length).toBeGreaterThan(0);
    expect(taken).toEqual(fresh);
  });
});
