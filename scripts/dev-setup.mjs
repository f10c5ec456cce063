// First-run setup for `npm run dev`: writes .dev.vars with fresh development secrets
// (a signing key and a pepper) unless it already exists, and builds the SPA if needed.
// .dev.vars is git-ignored: these secrets never leave this machine.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { newPepper, newSigningKey } from "./keys.mjs";

const file = new URL("../.dev.vars", import.meta.url);
if (!existsSync(file)) {
  const vars = {
    JWT_PRIVATE_KEYS: JSON.stringify([newSigningKey()]),
    PASSWORD_PEPPER: newPepper(),
  };
  writeFileSync(file, Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join("\n") + "\n", { mode: 0o600 });
  console.log("dev-setup: wrote .dev.vars with a new signing key and pepper");
}

// wrangler refuses to start without the assets directory; the SPA build fills it.
mkdirSync(new URL("../public", import.meta.url), { recursive: true });
