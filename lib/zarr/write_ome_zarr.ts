/**
 * Writes an ndarray as an OME-Zarr image (OME-NGFF 0.5 on Zarr v3, or 0.4 on
 * Zarr v2): one multiscale with one level "0", axes with types and units, and
 * the voxel size as the level's scale.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { NdArray } from "../deps.ts";
import { checkNdArray, contiguousCopy, dtypeOf } from "../array/_strided.ts";
import { checkOptionsObject } from "../_options_object.ts";
import { checkFilePath } from "../io/_io_checks.ts";
import { FileStore } from "./_file_store.ts";
import { writeImageGroup } from "./_image_group.ts";
import {
  axesOf,
  checkVersion,
  chunkShapeOf,
  type OmeZarrWriteOptions,
  prepareTarget,
} from "./_write_checks.ts";

export type { OmeZarrWriteOptions } from "./_write_checks.ts";

const FN = "writeOmeZarr";

/** Options of {@linkcode writeOmeZarr}. */
export interface WriteOmeZarrOptions extends OmeZarrWriteOptions {
  /**
   * The axes as letters, outermost first, in the OME-NGFF order: T, then C,
   * then 2 or 3 of Z, Y, X (e.g. "ZYX", "CZYX", "TCZYX"; `readTiff`'s "ZCYX"
   * must be transposed first). Default by dimension: "YX", "ZYX", "CZYX",
   * "TCZYX".
   */
  axes?: string;
  /** The multiscale's name (the spec's "name"), e.g. the source file. */
  name?: string;
}

const DEFAULT_AXES = ["", "", "YX", "ZYX", "CZYX", "TCZYX"];

/**
 * Writes `data` (uint8/16/32, int8/16/32, float32/64, any view) as an
 * OME-Zarr image at the folder `path`. The level's chunks are written
 * (uncompressed, each file atomically) before the group metadata that makes
 * the image readable, so an interrupted write leaves a folder that
 * `readOmeZarr` refuses. An existing path is refused unless `overwrite`
 * (then an old Zarr store there is replaced). The scale is the voxel size
 * (`physicalSizes`, 1 where unknown); space axes carry `physicalUnit` as an
 * NGFF unit name ("µm" is written "micrometer"), a time axis "second".
 * Needs `--allow-read` and `--allow-write` on the folder.
 *
 * @example
 * ```ts
 * import { ndarray } from "../../mod.ts";
 * import { readOmeZarr, writeOmeZarr } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * const volume = ndarray(new Uint16Array(2 * 3 * 4).map((_, i) => i), [2, 3, 4]);
 * await writeOmeZarr(`${dir}/volume.zarr`, volume, {
 *   physicalSizes: { Z: 2, Y: 0.5, X: 0.5 },
 * });
 * const { data, axes, metadata } = await readOmeZarr(`${dir}/volume.zarr`);
 * console.log(axes, data.shape, metadata.physicalSizes.Z, metadata.physicalUnit); // ZYX [2, 3, 4] 2 µm
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeOmeZarr(
  path: string | URL,
  data: NdArray,
  options: WriteOmeZarrOptions = {},
): Promise<void> {
  checkFilePath(FN, path);
  checkOptionsObject(FN, options, [
    "axes",
    "name",
    "physicalSizes",
    "physicalUnit",
    "chunkShape",
    "version",
    "overwrite",
  ]);
  checkNdArray(FN, "data", data, { minDims: 2 });
  if (data.shape.length > 5) {
    throw argumentError(FN, "data", data, "an ndarray of 2 to 5 dimensions");
  }
  const letters = options.axes ?? DEFAULT_AXES[data.shape.length];
  if (typeof letters !== "string" || letters.length !== data.shape.length) {
    throw argumentError(
      FN,
      "options.axes",
      letters,
      `${data.shape.length} axis letters (one per dimension of data)`,
    );
  }
  if (options.name !== undefined && typeof options.name !== "string") {
    throw argumentError(FN, "options.name", options.name, "a string");
  }
  const version = checkVersion(FN, options.version);
  const { axes, scale } = axesOf(FN, letters, options);
  const chunkShape = chunkShapeOf(FN, options.chunkShape, data.shape, axes);
  const values = contiguousCopy(data);
  const dtype = dtypeOf(data);
  const target = await prepareTarget(FN, path, options.overwrite);
  await writeImageGroup(new FileStore(FN, target), "", {
    data: values,
    shape: [...data.shape],
    dtype,
    axes,
    scale,
    chunkShape,
    version,
    name: options.name,
  });
}
