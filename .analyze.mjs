import { build } from "esbuild";
import { gzipSync } from "node:zlib";
const r = await build({ entryPoints: ["src/index.ts"], bundle: true, minify: true, format: "esm", platform: "neutral", write: false, metafile: true,
  external: ["cloudflare:*", "node:*", "*.wasm"], loader: { ".txt": "text" }, conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"], outfile: "x.js", logLevel: "error" });
const out = r.outputFiles[0].contents; console.log("total min", out.length, "gzip", gzipSync(out, {level: 9}).length);
const inputs = r.metafile.outputs["x.js"].inputs; const groups = {};
for (const [f, v] of Object.entries(inputs)) { const m = f.match(/node_modules\/((@[^/]+\/)?[^/]+)/); const k = m ? m[1] : f.split("/").slice(0,2).join("/"); groups[k] = (groups[k]||0) + v.bytesInOutput; }
for (const [k, v] of Object.entries(groups).sort((a,b)=>b[1]-a[1]).slice(0,30)) console.log(String(v).padStart(8), k);
if (process.argv[2]) for (const [f, v] of Object.entries(inputs).filter(([f])=>f.includes(process.argv[2])).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput).slice(0,25)) console.log(String(v.bytesInOutput).padStart(8), f);
