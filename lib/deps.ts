/**
 * The only place where `lib/` names its third-party dependencies, as versioned
 * `npm:` specifiers, so that `mod.ts` works when imported by URL (an importer's
 * import map does not apply to our files).
 *
 * @module
 */

// @ts-types="npm:@types/ndarray@1.1.0"
import ndarray from "npm:ndarray@1.1.1";
export { ndarray };
export type {
  Data as NdArrayData,
  DataType,
  NdArray,
  TypedArray,
} from "npm:@types/ndarray@1.1.0";

// Figures: Observable Plot rendered server-side through a DOM shim.
export * as Plot from "npm:@observablehq/plot@0.6.17";
export { parseHTML } from "npm:linkedom@0.18.15";
export { initWasm as initResvgWasm, Resvg } from "npm:@resvg/resvg-wasm@2.6.2";
