/**
 * Writes an ndarray to disk as an ImageJ-compatible hyperstack TIFF or an OME-TIFF.
 *
 * @module
 */

import type { NdArray } from "../deps.ts";
import type { NumericArray } from "../array/types.ts";
import { writeFileAtomic } from "../_atomic_write.ts";
import { checkFilePath } from "./_io_checks.ts";
import { encodeTiffFile } from "./_tiff_encoder.ts";
import type { EncodeTiffOptions } from "./encode_tiff.ts";

/** Options of {@linkcode writeTiff}: the same as `encodeTiff`'s. */
export type WriteTiffOptions = EncodeTiffOptions;

/**
 * Writes `data` to `path` as a little-endian, uncompressed, multi-page ImageJ
 * hyperstack TIFF (see `encodeTiff` for the layout, the accepted axes "TZCYX"
 * subsequences ending in "YX", and the sample types uint8, uint16, float32),
 * or with `ome: true` an OME-TIFF (see `encodeTiff`: OME-XML 2016-06, axes
 * T, Z, C in any order then "YX", every sample type, channel names).
 * `readTiff` reads the file back exactly: same values, axes and dtype.
 *
 * The file is written to a temporary file in the same folder and then renamed,
 * so it is never seen half-written. The folder must exist.
 *
 * @param path Destination file path or `file:` URL.
 * @param data Values to write: any ndarray view over a Uint8Array, Uint16Array or Float32Array.
 * @param options `axes` (required, e.g. "ZCYX"), `ome`, and optional `metadata` with physical sizes (and `channelNames`, kept in OME-TIFFs only).
 *
 * @example Write a Z stack with its voxel size, then read it back
 * ```ts
 * import { ndarray } from "../deps.ts";
 * import { readTiff } from "./read_tiff.ts";
 * import { writeTiff } from "./write_tiff.ts";
 *
 * const folder = await Deno.makeTempDir();
 * const stack = ndarray(new Float32Array(4 * 8 * 8).fill(0.5), [4, 8, 8]);
 * await writeTiff(`${folder}/stack.tif`, stack, {
 *   axes: "ZYX",
 *   metadata: { physicalSizes: { X: 0.5, Y: 0.5, Z: 2 }, physicalUnit: "µm" },
 * });
 * const { axes, metadata } = await readTiff(`${folder}/stack.tif`);
 * const { X, Y, Z } = metadata.physicalSizes;
 * if (axes !== "ZYX" || X !== 0.5 || Y !== 0.5 || Z !== 2) {
 *   throw new Error(`${axes} ${X} ${Y} ${Z}`);
 * }
 * console.log(axes, metadata.physicalSizes); // "ZYX" { X: 0.5, Y: 0.5, Z: 2 }
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function writeTiff(
  path: string | URL,
  data: NdArray<NumericArray>,
  options: WriteTiffOptions,
): Promise<void> {
  const fn = "writeTiff";
  checkFilePath(fn, path);
  await writeFileAtomic(fn, path, encodeTiffFile(fn, data, options));
}
