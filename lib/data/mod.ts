/**
 * Datasets: the registry of downloadable files, `fetchDataset` (cache, mirrors,
 * sha256 verification, retries, progress), the `kidney()` volume and its
 * synthetic stand-in `kidneyPhantom()`.
 *
 * @module
 */

export * from "./dataset_error.ts";
export * from "./registry.ts";
export * from "./data_cache_dir.ts";
export * from "./fetch_dataset.ts";
export * from "./kidney_volume.ts";
export * from "./phantom_description.ts";
export * from "./kidney.ts";
export * from "./kidney_phantom.ts";
