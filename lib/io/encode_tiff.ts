/**
 * Encodes an ndarray as an ImageJ-compatible hyperstack TIFF or an OME-TIFF in memory.
 *
 * @module
 */

import type { NdArray } from "../deps.ts";
import type { NumericArray } from "../array/types.ts";
import { encodeTiffFile } from "./_tiff_encoder.ts";
import type { EncodeTiffOptions } from "./encode_tiff_options.ts";

export type {
  EncodeTiffOptions,
  WriteTiffMetadata,
} from "./encode_tiff_options.ts";

/**
 * Encodes `data` as a little-endian, uncompressed, multi-page TIFF that ImageJ
 * opens as a hyperstack and `readTiff` reads back exactly (values, axes, dtype).
 *
 * Pages are the YX planes in C order of the axes (ImageJ's T, Z, C order,
 * channel fastest), one strip each, stored contiguously as ImageJ expects. The
 * first page carries the ImageJ description
 * (`ImageJ=1.11a\nimages=…\nchannels=…\nslices=…\nframes=…\nhyperstack=true\nmode=grayscale\n`,
 * plus `spacing`, `unit`, `finterval` from `metadata`); X and Y sizes become the
 * XResolution/YResolution tags (pixels per unit, as exact fractions where
 * possible). Axes in another order must be transposed first, e.g. a ZYXC array
 * with `data.transpose(0, 3, 1, 2)` and axes "ZCYX". Sample types uint8, uint16
 * and float32 (ImageJ's types). Files must stay under 4 GiB (no BigTIFF).
 *
 * With `ome: true` the file is an OME-TIFF instead: page 0's description is
 * OME-XML 2016-06 (a random UUID, one Image whose Pixels give DimensionOrder,
 * the axes reversed, the OME Type, SizeX/Y/Z/C/T, PhysicalSizeX/Y/Z with
 * `physicalUnit` (default "µm"; one of µm, nm, pm, Å, mm, cm, m), TimeIncrement
 * in seconds, one Channel per index of C with its Name from `channelNames`,
 * and one TiffData of every page), and no ImageJ description or resolution
 * tags. Axes: T, Z and C at most once each, in any order, then "YX"; all eight
 * sample types (uint8/16/32, int8/16/32, float32/64). tifffile and `readTiff`
 * read such files with the same axes, values and sizes. RGB (an S axis) is
 * not written.
 *
 * @param data Values to encode: any ndarray view over a Uint8Array, Uint16Array or Float32Array.
 * @param options `axes` (required), `ome`, and optional `metadata` with physical sizes (and `channelNames`, kept in OME-TIFFs only).
 * @returns The TIFF file's bytes.
 *
 * @example Encode a 2-channel stack of 3 planes with voxel size
 * ```ts
 * import { ndarray } from "../deps.ts";
 * import { encodeTiff } from "./encode_tiff.ts";
 *
 * const stack = ndarray(new Uint8Array(3 * 2 * 4 * 4), [3, 2, 4, 4]);
 * const bytes = encodeTiff(stack, {
 *   axes: "ZCYX",
 *   metadata: { physicalSizes: { X: 1.24, Y: 1.24, Z: 1.25 }, physicalUnit: "µm" },
 * });
 * const byteOrder = String.fromCharCode(bytes[0], bytes[1]);
 * if (byteOrder !== "II") throw new Error(byteOrder);
 * console.log(byteOrder); // "II"
 * ```
 *
 * @example Encode an OME-TIFF of 2 channels with names and voxel size in nm
 * ```ts
 * import { ndarray } from "../deps.ts";
 * import { encodeTiff } from "./encode_tiff.ts";
 * import { readTiff } from "./read_tiff.ts";
 *
 * const stack = ndarray(new Uint16Array(2 * 3 * 4 * 4), [2, 3, 4, 4]);
 * const bytes = encodeTiff(stack, {
 *   axes: "CZYX",
 *   ome: true,
 *   metadata: {
 *     physicalSizes: { X: 200, Y: 200, Z: 500 },
 *     physicalUnit: "nm",
 *     channelNames: ["DAPI", "GFP"],
 *   },
 * });
 * const { axes, metadata } = await readTiff(bytes);
 * console.log(axes, metadata.physicalSizes, metadata.channelNames); // "CZYX" { X: 0.2, Y: 0.2, Z: 0.5 } [ "DAPI", "GFP" ]
 * ```
 */
export function encodeTiff(
  data: NdArray<NumericArray>,
  options: EncodeTiffOptions,
): Uint8Array {
  return encodeTiffFile("encodeTiff", data, options);
}
