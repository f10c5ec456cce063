// `npm run admin:grant -- EMAIL` — makes an existing account a platform admin (README
// "Admin"). There is deliberately NO API for this: whoever runs it already controls the
// deployment (wrangler credentials, or the local state directory).
//
//   npm run admin:grant -- EMAIL                          local D1 (wrangler dev's state)
//   npm run admin:grant -- EMAIL --persist-to DIR         another local state directory
//   npm run admin:grant -- EMAIL --env production --remote  a deployment
//   add --revoke to take the right away again
//
// It runs `wrangler d1 execute DB --command ...` and says whether an account matched.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PROJECT_NODE = join(ROOT, "node_modules/.bin/node");
const NODE = existsSync(PROJECT_NODE) ? PROJECT_NODE : process.execPath;
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

// Same normalisation as the service (NFKC, trim, lower case), and a conservative shape:
// the address ends up inside SQL, so anything with a quote or a backslash is refused.
const EMAIL = /^[^\s@'"\\;]{1,64}@[^\s@'"\\;]{1,189}\.[^\s@'"\\;]{2,63}$/u;

/** The wrangler arguments for a grant (exported for the tests). Throws on bad input. */
export function grantCommand(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "persist-to": { type: "string" },
      env: { type: "string" },
      remote: { type: "boolean", default: false },
      revoke: { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1) throw new Error("Usage: npm run admin:grant -- EMAIL [--revoke] [--persist-to DIR | --env ENV --remote]");
  const email = positionals[0].normalize("NFKC").trim().toLowerCase();
  if (!EMAIL.test(email)) throw new Error(`Not an email address this service stores: ${positionals[0]}`);
  if (values.remote && values["persist-to"]) throw new Error("--persist-to is for local state; it cannot be combined with --remote.");
  if (values.env && !/^[a-z0-9-]{1,32}$/.test(values.env)) throw new Error("--env takes a wrangler environment name.");
  const flag = values.revoke ? 0 : 1;
  const sql = `UPDATE users SET is_platform_admin = ${flag}, updated_at = ${Date.now()} WHERE email = '${email}' RETURNING id, email;`;
  const args = ["d1", "execute", "DB", "--json", "--command", sql, values.remote ? "--remote" : "--local"];
  if (values["persist-to"]) args.push("--persist-to", values["persist-to"]);
  if (values.env) args.push("--env", values.env);
  return { email, revoke: values.revoke, args };
}

/** Rows changed, from `wrangler d1 execute --json` output. */
export function changedRows(stdout) {
  const parsed = JSON.parse(stdout.slice(stdout.indexOf("[")));
  return parsed.flatMap((r) => r.results ?? []);
}

function main() {
  let command;
  try {
    command = grantCommand(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const run = spawnSync(NODE, [WRANGLER, ...command.args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  });
  if (run.status !== 0) {
    console.error(run.stderr || run.stdout);
    process.exit(1);
  }
  const rows = changedRows(run.stdout);
  if (rows.length === 0) {
    console.error(`No account with the email ${command.email}. Sign up first, then run this again.`);
    process.exit(1);
  }
  console.log(`${command.email} (${rows[0].id}) ${command.revoke ? "is no longer" : "is now"} a platform admin.`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
