/**
 * Where `lib/` names its third-party dependencies (the figures' in
 * `lib/plot/_deps.ts`), as versioned
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

// The figures' packages are named in lib/plot/_deps.ts, so that only programs
// drawing figures load them.

// OME-Zarr: zarrita, loaded on first use only, so that importing mod.ts never
// downloads it; lib/zarr calls loadZarrita() before touching a store.
/** The zarrita module's type (chunked Zarr v2/v3 arrays). */
export type Zarrita = typeof import("npm:zarrita@0.7.5");
/**
 * zarrita's specifier. Imported through this constant, not a literal: Deno
 * fetches a literal dynamic import with the rest of the module graph, on the
 * first run of any program that imports mod.ts (6 MB more, measured).
 */
const ZARRITA = "npm:zarrita@0.7.5";
/** Loads zarrita (downloaded by Deno on first use). */
export function loadZarrita(): Promise<Zarrita> {
  return import(ZARRITA);
}
