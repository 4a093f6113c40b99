/**
 * Reads one level of an OME-Zarr image (OME-NGFF 0.4 or 0.5) into one
 * C-contiguous ndarray with axis letters and the voxel size, as `readTiff`
 * reads a TIFF.
 *
 * @module
 */

import type { NdArray } from "../deps.ts";
import type { NumericArray } from "../array/types.ts";
import { checkOptionsObject } from "../_options_object.ts";
import { checkFilePath } from "../io/_io_checks.ts";
import {
  type OmeZarrMetadata,
  openImage,
  readSelection,
} from "./_open_image.ts";

export type { OmeZarrMetadata } from "./_open_image.ts";
export type { OmeZarrAxis, OmeZarrVersion, PhysicalSizes } from "./_ngff.ts";

/** Options of {@linkcode readOmeZarr}. */
export interface ReadOmeZarrOptions {
  /** The resolution level, an index into the multiscale's datasets; default 0 (full resolution). */
  level?: number;
}

/** What {@linkcode readOmeZarr} returns. */
export interface OmeZarrImage {
  /** C-contiguous values in the store's data type, shape matching `axes`. */
  data: NdArray<NumericArray>;
  /** One letter per axis from the axes' names: T, C, Z, Y, X (Q for another). */
  axes: string;
  /** The data type, version, level, chunk shape, voxel size and OME metadata. */
  metadata: OmeZarrMetadata;
}

const FN = "readOmeZarr";

/**
 * Reads level `level` of the first multiscale image of the OME-Zarr store at
 * `path` (a folder). The metadata is checked by the spec's rules and a store
 * that breaks one is refused with the file and field named: not a Zarr group
 * (as an interrupted write leaves), no multiscales, a version other than 0.4
 * (Zarr v2) or 0.5 (Zarr v3), a missing level, axes or scales of the wrong
 * length or order, units the spec does not list, a data type outside uint8/16/32,
 * int8/16/32, float32/64, an image of a store `stria analyze` has not
 * finished (not finalized: the error names the missing blocks). Chunks may
 * be uncompressed, gzip or zlib.
 * `metadata.physicalSizes` holds the level's scale by axis letter, in
 * `metadata.physicalUnit` ("µm" for micrometer) and T in seconds.
 * Needs `--allow-read` on the folder.
 *
 * @example
 * ```ts
 * import { ndarray } from "../../mod.ts";
 * import { readOmeZarr, writeOmeZarr } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * await writeOmeZarr(`${dir}/a.zarr`, ndarray(new Float32Array(2 * 5 * 6), [2, 5, 6]), {
 *   axes: "CYX",
 *   physicalSizes: { X: 0.25, Y: 0.25 },
 *   version: "0.4",
 * });
 * const { axes, data, metadata } = await readOmeZarr(`${dir}/a.zarr`);
 * console.log(axes, data.shape, metadata.dtype, metadata.version); // CYX [2, 5, 6] float32 0.4
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readOmeZarr(
  path: string | URL,
  options: ReadOmeZarrOptions = {},
): Promise<OmeZarrImage> {
  checkFilePath(FN, path);
  checkOptionsObject(FN, options, ["level"]);
  const opened = await openImage(FN, path, options.level);
  const data = await readSelection(opened, null);
  return { data, axes: opened.axes, metadata: opened.metadata };
}
