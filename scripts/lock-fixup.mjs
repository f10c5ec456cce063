// The npm registry this project is built from does not serve workerd's macOS and Windows
// binaries, so `npm install` leaves them out of package-lock.json and `npm ci` then
// refuses the lock as "out of sync". This adds lock entries for the missing
// platform-specific optional packages (marked with their os/cpu), which npm ci skips on
// Linux exactly as it would with a complete lock. Run after any `npm install` that
// rewrote the lock; .ci/run runs it before `npm ci`. Idempotent.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const PLATFORM = { darwin: "darwin", windows: "win32", win32: "win32", linux: "linux" };
const ARCH = { 64: "x64", x64: "x64", arm64: "arm64" };

let added = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${path}/node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[hoisted]?.version === version) continue;
    const m = /-(darwin|windows|win32|linux)-(64|x64|arm64)$/.exec(name);
    if (!m) continue;
    const where = lock.packages[hoisted] ? nested : hoisted;
    lock.packages[where] = { version, cpu: [ARCH[m[2]]], optional: true, os: [PLATFORM[m[1]]], engines: { node: ">=16" } };
    added++;
  }
}
if (added) writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`lock-fixup: added ${added} platform-specific optional entr${added === 1 ? "y" : "ies"}`);
