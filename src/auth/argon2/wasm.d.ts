// wrangler's default CompiledWasm rule (and the vitest plugin's) turns
// `import x from "./x.wasm"` into a precompiled WebAssembly.Module. That is
// the only way to get wasm into a production Worker: runtime
// WebAssembly.compile / instantiate(bytes) is refused there.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
