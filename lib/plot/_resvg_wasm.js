// @ts-self-types="./_resvg_wasm.d.ts"
// The resvg WebAssembly module, loaded by the module graph as a source-phase
// import: no file or network permission is needed, and it resolves the same
// way when mod.ts is imported by URL. TypeScript cannot parse `import source`
// yet, hence this small JavaScript file with its own declaration file, and
// a specifier outside lib/deps.ts (a source-phase import cannot be re-exported).
import source resvgWasm from "npm:@resvg/resvg-wasm@2.6.2/index_bg.wasm";
export default resvgWasm;
