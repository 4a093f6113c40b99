/**
 * stria: reproducible 3D microscopy image analysis for Deno.
 *
 * Numerics that match scikit-image (float64) to about 1e-10, TIFF reading and
 * writing, a dataset registry with on-demand downloads, and figure helpers.
 *
 * ```ts
 * import { ndarray, structureTensor, structureTensorEigenvalues } from "./mod.ts";
 *
 * const volume = ndarray(new Float64Array(5 * 5 * 5), [5, 5, 5]);
 * volume.set(2, 2, 2, 1);
 * const elements = structureTensor(volume, { sigma: 0.1 });
 * const eigen = structureTensorEigenvalues(elements);
 * console.log(eigen.shape); // [3, 5, 5, 5]
 * ```
 *
 * @module
 */

export * from "./lib/array/mod.ts";
export * from "./lib/filters/mod.ts";
export * from "./lib/feature/mod.ts";
export * from "./lib/io/mod.ts";
export * from "./lib/data/mod.ts";
export * from "./lib/plot/mod.ts";
export * from "./lib/chunked/mod.ts";
export * from "./lib/zarr/mod.ts";
