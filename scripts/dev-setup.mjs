// First-run setup for `npm run dev`: writes .dev.vars with fresh development secrets
// (a signing key, a pepper, the MFA encryption key) unless it already exists, adds a
// secret a newer version needs to an existing file, and builds the SPA if needed.
// .dev.vars is git-ignored: these secrets never leave this machine.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { newPepper, newSigningKey, readVarsFile } from "./keys.mjs";

const file = new URL("../.dev.vars", import.meta.url);
if (!existsSync(file)) {
  const vars = {
    JWT_PRIVATE_KEYS: JSON.stringify([newSigningKey()]),
    PASSWORD_PEPPER: newPepper(),
    MFA_ENCRYPTION_KEY: newPepper(),
  };
  writeFileSync(
    file,
    Object.entries(vars)
      .map(([k, v]) => `${k}='${v}'`)
      .join("\n") + "\n",
    { mode: 0o600 },
  );
  console.log("dev-setup: wrote .dev.vars with a new signing key, pepper and MFA encryption key");
} else if (!readVarsFile(file.pathname).MFA_ENCRYPTION_KEY) {
  // Two-step verification arrived after this file was written: add its key (32 random bytes).
  appendFileSync(file, `MFA_ENCRYPTION_KEY='${newPepper()}'\n`);
  console.log("dev-setup: added MFA_ENCRYPTION_KEY to .dev.vars");
}

// wrangler refuses to start without the assets directory; the SPA build fills it.
mkdirSync(new URL("../public", import.meta.url), { recursive: true });
