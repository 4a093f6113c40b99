/** The compiled resvg module (npm:@resvg/resvg-wasm@2.6.2, index_bg.wasm). */
declare const resvgWasm: WebAssembly.Module;
export default resvgWasm;
