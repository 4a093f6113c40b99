/**
 * OME-Zarr input and output (OME-NGFF 0.4 on Zarr v2, 0.5 on Zarr v3, through
 * zarrita, loaded on first use): `writeOmeZarr` and `readOmeZarr` for one
 * image with axes, units and voxel size; `openOmeZarrPlanes` reads chosen
 * planes; `writeOmeZarrArrays` and `readOmeZarrArrays` store analysis outputs
 * as one image per array at the voxel size.
 *
 * @module
 */

export * from "./write_ome_zarr.ts";
export * from "./read_ome_zarr.ts";
export * from "./ome_zarr_plane_reader.ts";
export * from "./write_ome_zarr_arrays.ts";
export * from "./read_ome_zarr_arrays.ts";
