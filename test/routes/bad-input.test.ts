// Every JSON route of the account API against each class of bad input: the answer is a
// 4xx problem+json with the expected code, and D1 and KV are exactly as before.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, codeFrom, expectProblem, register, signUp, STRONG_PASSWORD, uniqueEmail, waitForMessages } from "../helpers";
import { expectNoStoreChange } from "../store-snapshot";

type Account = Awaited<ReturnType<typeof signUp>>;
let account: Account;

beforeAll(async () => {
  account = await signUp();
});

type Route = {
  path: string;
  /** A body that passes validation, so each variant breaks exactly one thing. */
  valid: () => Record<string, unknown>;
  required: string[];
  auth?: boolean;
};

const LINK = "A".repeat(43);
const routes: Route[] = [
  { path: "/api/auth/register", valid: () => ({ email: uniqueEmail(), password: STRONG_PASSWORD, name: "Ann" }), required: ["email", "password"] },
  { path: "/api/auth/verify-email", valid: () => ({ registrationToken: LINK, code: "123456" }), required: ["registrationToken", "code"] },
  { path: "/api/auth/resend-verification", valid: () => ({ registrationToken: LINK }), required: ["registrationToken"] },
  { path: "/api/auth/login", valid: () => ({ email: account.email, password: STRONG_PASSWORD }), required: ["email", "password"] },
  { path: "/api/auth/password/forgot", valid: () => ({ email: account.email }), required: ["email"] },
  {
    path: "/api/auth/password/reset",
    valid: () => ({ email: account.email, code: "123456", password: `${STRONG_PASSWORD} new` }),
    required: ["email", "code", "password"],
  },
  {
    path: "/api/me/password",
    valid: () => ({ currentPassword: STRONG_PASSWORD, newPassword: `${STRONG_PASSWORD} new` }),
    required: ["currentPassword", "newPassword"],
    auth: true,
  },
];

const send = (route: Route, init: { body: string; contentType?: string }) =>
  call(route.path, {
    method: "POST",
    body: init.body,
    headers: { "content-type": init.contentType ?? "application/json" },
    token: route.auth ? account.accessToken : undefined,
  });

describe.each(routes)("$path refuses bad input and changes nothing", (route) => {
  it("malformed JSON -> 400 invalid_json", async () => {
    for (const body of ['{"email": ', "{'email': 'a@b.co'}", "", "undefined", '{"a":1}}']) {
      expectProblem(await expectNoStoreChange(() => send(route, { body })), 400, "invalid_json");
    }
  });

  it("wrong content type -> 415 unsupported_media_type", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", ""]) {
      const res = await expectNoStoreChange(() => send(route, { body: JSON.stringify(route.valid()), contentType }));
      expectProblem(res, 415, "unsupported_media_type");
    }
  });

  it("not an object / wrong types -> 400 validation_failed naming the field", async () => {
    for (const body of ["[]", '"text"', "42", "null", "true"]) {
      expectProblem(await expectNoStoreChange(() => send(route, { body })), 400, "validation_failed");
    }
    for (const field of Object.keys(route.valid())) {
      for (const wrong of [123, null, true, [], {}, ["a"]]) {
        const res = await expectNoStoreChange(() => send(route, { body: JSON.stringify({ ...route.valid(), [field]: wrong }) }));
        expectProblem(res, 400, "validation_failed");
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
    }
  });

  it("missing fields -> 400 validation_failed", async () => {
    expectProblem(await expectNoStoreChange(() => send(route, { body: "{}" })), 400, "validation_failed");
    for (const field of route.required) {
      const { [field]: _gone, ...rest } = route.valid();
      expectProblem(await expectNoStoreChange(() => send(route, { body: JSON.stringify(rest) })), 400, "validation_failed");
    }
  });

  it("bodies over 64 KiB -> 413 payload_too_large", async () => {
    const padded = JSON.stringify({ ...route.valid(), padding: "x".repeat(64 * 1024) });
    expectProblem(await expectNoStoreChange(() => send(route, { body: padded })), 413, "payload_too_large");
    // Over the limit whatever the content type says.
    expectProblem(await expectNoStoreChange(() => send(route, { body: "x".repeat(70_000), contentType: "text/plain" })), 413, "payload_too_large");
  });

  it("odd Unicode and injection strings in formatted fields -> 400 validation_failed", async () => {
    const bad: Record<string, string[]> = {
      email: [
        "ann\u200B@example.com", // zero-width space: a look-alike of ann@example.com
        "ann\u202E@example.com", // right-to-left override
        "ann\uFE6Bevil.com@example.com", // small commercial at: NFKC turns it into a second @
        "ann@exa\u200Dmple.com",
        "😀@😀",
        "' OR '1'='1",
        "admin@example.com'; DROP TABLE users;--",
        "<script>alert(1)</script>@example.com",
        "ann@example.com\r\nBcc: victim@example.com",
        "a".repeat(300) + "@example.com",
      ],
      code: ["１２３４５６", "12345", "1234567", "12 3456", "' OR 1=1", "<b>1</b>", "12345\u0000"],
      token: ["' OR 1=1 --", `${LINK.slice(1)}\u200B`, "<script>", "A".repeat(44)],
      name: ["Ann\u202Egnp.exe", "Ann\u200B", "\u0000", "x".repeat(101)],
      password: ["x".repeat(1025)],
      newPassword: ["x".repeat(1025)],
      currentPassword: ["x".repeat(1025)],
    };
    for (const field of Object.keys(route.valid())) {
      for (const value of bad[field] ?? []) {
        const res = await expectNoStoreChange(() => send(route, { body: JSON.stringify({ ...route.valid(), [field]: value }) }));
        expectProblem(res, 400, "validation_failed");
      }
    }
  });
});

describe("token-carrying routes refuse bad bodies too", () => {
  for (const path of ["/api/auth/refresh", "/api/auth/logout"]) {
    it(`${path}: malformed JSON, wrong types, wrong content type, huge bodies`, async () => {
      const post = (body: string, contentType = "application/json") => call(path, { method: "POST", body, headers: { "content-type": contentType } });
      expectProblem(await expectNoStoreChange(() => post('{"refreshToken": ')), 400, "invalid_json");
      for (const body of ['{"refreshToken": 1}', '{"refreshToken": ["a"]}', "[]", "null", JSON.stringify({ refreshToken: "x".repeat(300) })]) {
        expectProblem(await expectNoStoreChange(() => post(body)), 400, "validation_failed");
      }
      expectProblem(await expectNoStoreChange(() => post(JSON.stringify({ refreshToken: "a.b.c" }), "text/plain")), 415, "unsupported_media_type");
      expectProblem(await expectNoStoreChange(() => post(JSON.stringify({ refreshToken: "x".repeat(70_000) }))), 413, "payload_too_large");
    });
  }

  it("/api/auth/verify-email and /password/reset refuse malformed link tokens", async () => {
    for (const token of ["' OR 1=1 --", "short", "A".repeat(42) + "=", "A".repeat(43) + "\u202E"]) {
      expectProblem(await expectNoStoreChange(() => call("/api/auth/verify-email", { json: { registrationToken: LINK, token } })), 400, "validation_failed");
      expectProblem(
        await expectNoStoreChange(() => call("/api/auth/password/reset", { json: { token, password: `${STRONG_PASSWORD} new` } })),
        400,
        "validation_failed",
      );
    }
  });
});

describe("unknown fields are ignored (no mass assignment)", () => {
  it("register ignores id, emailVerifiedAt, disabledAt, role", async () => {
    const email = uniqueEmail();
    const res = await call("/api/auth/register", {
      json: { email, password: STRONG_PASSWORD, id: "chosen-id", emailVerifiedAt: 1, emailVerified: true, role: "admin", __proto__: { admin: true } },
    });
    expect(res.status).toBe(202);
    // Nothing exists until the registration's code is redeemed, whatever the body claimed.
    expectProblem(await call("/api/auth/login", { json: { email, password: STRONG_PASSWORD, emailVerified: true } }), 401, "invalid_credentials");
    const [message] = await waitForMessages(email);
    const verified = await call("/api/auth/verify-email", {
      json: { registrationToken: res.body.registrationToken, code: codeFrom(message!), id: "chosen-id" },
    });
    expect(verified.body.user.id).not.toBe("chosen-id");
  });

  it("login and password change accept and ignore extra fields", async () => {
    const res = await call("/api/auth/login", { json: { email: account.email, password: STRONG_PASSWORD, extra: "x", userId: "someone-else" } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(account.user.id);
  });
});

describe("injection strings in free-form fields are stored as plain data", () => {
  it("a name full of SQL and HTML is kept verbatim and harms nothing", async () => {
    const name = `Robert'); DROP TABLE users;-- <img src=x onerror=alert(1)>`;
    const email = uniqueEmail();
    const { registrationToken, message } = await register(email, STRONG_PASSWORD, name);
    expect((await call("/api/auth/verify-email", { json: { registrationToken, code: codeFrom(message) } })).status).toBe(200);
    expect((await call("/api/me", { token: account.accessToken })).status).toBe(200);
    expect((await env.DB.prepare("select count(*) as n from users").first<{ n: number }>())!.n).toBeGreaterThanOrEqual(2);
    const row = await env.DB.prepare("select name from users where email = ?").bind(email).first<{ name: string }>();
    expect(row?.name).toBe(name);
  });

  it("a valid address with quotes and dashes signs in nobody else", async () => {
    const res = await call("/api/auth/login", { json: { email: `${account.email.split("@")[0]}'--@example.com`, password: "anything at all really" } });
    expectProblem(res, 401, "invalid_credentials");
  });
});
