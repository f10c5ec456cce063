// A self-contained, interactive API reference at /api/docs: it reads /api/openapi.json
// and lets you send requests from the page. No CDN, so it works offline and under CSP.
const script = String.raw`
const el = (t, a = {}, ...kids) => { const e = document.createElement(t); Object.assign(e, a); e.append(...kids); return e; };
const root = document.getElementById("ops");
fetch("/api/openapi.json").then(r => r.json()).then(doc => {
  document.getElementById("title").textContent = doc.info.title;
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    const body = op.requestBody?.content?.["application/json"]?.schema;
    const input = el("textarea", { rows: 5, value: body ? JSON.stringify(example(body), null, 2) : "", ariaLabel: "Request body" });
    const url = el("input", { value: path, ariaLabel: "Path" });
    const auth = el("input", { placeholder: "Bearer access token (optional)", ariaLabel: "Access token" });
    const out = el("pre", { className: "out" });
    const send = el("button", { textContent: "Send" });
    send.onclick = async () => {
      const headers = { "content-type": "application/json" };
      if (auth.value) headers.authorization = "Bearer " + auth.value.replace(/^Bearer\s+/i, "");
      const res = await fetch(url.value, { method: method.toUpperCase(), headers, body: method === "get" ? undefined : input.value || undefined });
      out.textContent = res.status + " " + res.statusText + "\n" + await res.text();
    };
    root.append(el("details", {}, el("summary", {}, el("b", { className: method, textContent: method.toUpperCase() }), " " + path + " — " + (op.summary || "")),
      el("div", {}, url, auth, body ? input : "", send, out)));
  }
});
function example(s) {
  if (s.anyOf || s.oneOf) return example((s.anyOf || s.oneOf)[0]);
  if (s.type === "object") return Object.fromEntries(Object.entries(s.properties || {}).filter(([k]) => (s.required || []).includes(k)).map(([k, v]) => [k, example(v)]));
  if (s.type === "string") return s.format === "email" ? "user@example.com" : "";
  if (s.type === "boolean") return false;
  if (s.type === "number" || s.type === "integer") return 0;
  return null;
}`;

export const docsPage = (
  appName: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${appName.replace(/[<>&"]/g, "")} API</title><style>
body{font:15px system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#111}
details{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.5rem}
summary{cursor:pointer}b{display:inline-block;min-width:4rem}.get{color:#0a7}.post{color:#15c}.delete{color:#c33}.patch,.put{color:#a60}
input,textarea{display:block;width:100%;margin:.3rem 0;font:13px ui-monospace,monospace;box-sizing:border-box}
pre.out{background:#f6f6f6;padding:.5rem;white-space:pre-wrap;word-break:break-all}
</style></head><body><h1 id="title">API</h1><p>Generated from <a href="/api/openapi.json">/api/openapi.json</a>. Errors are RFC 9457 problem+json.</p>
<div id="ops"></div><script>${script}</script></body></html>`;
