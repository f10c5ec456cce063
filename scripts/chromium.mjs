// Debian's Chromium (no browser download) and the flags every Node-side run uses:
// the browser journeys (test/web/harness.ts) and Lighthouse (scripts/lighthouse.mjs).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
