// Data files the Worker reads from its static assets instead of carrying in its bundle
// (the bundle budget is 150 KiB gzip: docs/architecture.md §8). `npm run build` copies them
// into public/data/ (scripts/data-assets.mjs). Each is fetched and parsed once per isolate;
// a failed load is not cached, so the next caller retries.
const loaded = new Map<string, Promise<unknown>>();

export function readDataAsset<T>(env: Env, path: string, type: string, parse: (res: Response) => Promise<T>): Promise<T> {
  let value = loaded.get(path) as Promise<T> | undefined;
  if (!value) {
    value = fetchDataAsset(env.ASSETS, path, type).then(parse);
    loaded.set(path, value);
    value.catch(() => loaded.delete(path));
  }
  return value;
}

/** The asset's response, or an error naming what is missing. */
export async function fetchDataAsset(assets: Fetcher, path: string, type: string): Promise<Response> {
  // The host is ignored by the assets binding; a URL must be absolute.
  const res = await assets.fetch(new URL(path, "https://assets.local"));
  // A missing asset answers 200 with the SPA's index.html (not_found_handling): check the type.
  if (!res.ok || !res.headers.get("content-type")?.startsWith(type)) {
    await res.body?.cancel();
    throw new Error(`${path} is not in the static assets (status ${res.status}, ${res.headers.get("content-type")}): run \`npm run build\``);
  }
  return res;
}
