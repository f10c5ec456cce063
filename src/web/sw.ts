// Service worker: the app shell (HTML, script, style, icon of this build) is cached at
// install, so the SPA opens offline. Navigations go to the network first (fresh HTML
// after a deploy) and fall back to the cached shell. The API is never cached: it
// carries tokens and must say "offline" honestly.
declare const __SHELL__: string[];
declare const __VERSION__: string;
// The SPA's tsconfig has the DOM lib, not WebWorker's: the few worker types used here.
type ExtendableEvent = Event & { waitUntil(work: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; respondWith(answer: Promise<Response>): void };
type ServiceWorkerScope = {
  location: Location;
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void;
};
const sw = self as unknown as ServiceWorkerScope;
const CACHE = `edge-auth-shell-${__VERSION__}`;

sw.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(__SHELL__))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("edge-auth-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener("fetch", (event) => {
  const req: Request = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== sw.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/.well-known/") || url.pathname === "/health") return;
  if (req.mode === "navigate") {
    event.respondWith(fetch(req).catch(() => caches.match("/", { cacheName: CACHE }).then((r) => r ?? Response.error())));
    return;
  }
  event.respondWith(caches.match(req, { cacheName: CACHE }).then((hit) => hit ?? fetch(req)));
});
