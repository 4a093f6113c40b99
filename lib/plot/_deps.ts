/**
 * Private: the figures' third-party packages, as versioned `npm:` specifiers.
 * Kept apart from `lib/deps.ts` so that a program importing only the numerics
 * or the file formats (the command-line tool, a Slurm task) never loads Plot,
 * the DOM shim and resvg (about 0.7 s per process start, measured).
 *
 * @module
 */

// Observable Plot rendered server-side through a DOM shim.
export * as Plot from "npm:@observablehq/plot@0.6.17";
export { parseHTML } from "npm:linkedom@0.18.15";
export { initWasm as initResvgWasm, Resvg } from "npm:@resvg/resvg-wasm@2.6.2";
