// Helpers for the profile tests: bare user rows (no password hashing) where a test needs
// many accounts, and the fresh-session sign-up most profile routes require.
import { env } from "cloudflare:test";
import { randomId } from "../../src/auth/secrets";

/** Inserts `n` verified users straight into D1 (cheap: for race tests over many accounts). */
export async function insertUsers(n: number): Promise<string[]> {
  const now = Date.now();
  const ids = Array.from({ length: n }, () => randomId());
  await env.DB.batch(
    ids.map((id) =>
      env.DB.prepare("insert into users (id, email, email_verified_at, created_at, updated_at) values (?, ?, ?, ?, ?)").bind(
        id,
        `${id.toLowerCase()}@bulk.example.com`,
        now,
        now,
        now,
      ),
    ),
  );
  return ids;
}

/** A username no other test uses. */
export const uniqueUsername = (prefix = "u") =>
  `${prefix}.${randomId()
    .slice(0, 10)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;

/** A real session (SessionFence record + access token) for a user inserted by insertUsers. */
export async function sessionFor(userId: string): Promise<{ accessToken: string; refreshToken: string; sessionId: string }> {
  const { startSession } = await import("../../src/auth/session");
  const t = await startSession(env, userId, { userAgent: "test", device: "Test on Linux", ip: "10.0.0.1" }, "password");
  return { accessToken: t.accessToken, refreshToken: t.refreshToken, sessionId: t.sessionId };
}

/** A 6-digit code that is certainly NOT the pending one for (purpose, target): checked against the stored hash. */
export async function certainlyWrongCode(purpose: string, target: string): Promise<string> {
  const { sha256Hex } = await import("../../src/auth/secrets");
  const challenge = await env.KV.get<{ id: string; codeHash: string }>(`otp:${purpose}:${sha256Hex(target)}`, "json");
  for (const candidate of ["123456", "654321"]) if (!challenge || sha256Hex(`${challenge.id}:${candidate}`) !== challenge.codeHash) return candidate;
  throw new Error("unreachable: two different codes cannot both match");
}

/** The same code with its last digit changed: certainly wrong. */
export const flipDigit = (code: string) => code.slice(0, 5) + ((Number(code[5]) + 1) % 10);
