/**
 * The encoder behind `encodeTiff` and `writeTiff`: checks the arguments, then
 * lays out an ImageJ hyperstack or an OME-TIFF in memory with the writer core.
 *
 * @module
 */

import type { NdArray } from "../deps.ts";
import { argumentError } from "../_errors.ts";
import type { DType, NumericArray } from "../array/types.ts";
import {
  ARRAY_TYPES,
  checkNdArray,
  copyToContiguous,
  sizeOf,
} from "../array/_strided.ts";
import { checkOptionsObject } from "../_options_object.ts";
import { imageJDescription } from "./_tiff_descriptions.ts";
import { isOmeDtype, omePagesDescription } from "./_ome_xml.ts";
import {
  checkChannelNames,
  checkClassicTiffSize,
  encodeDescription,
  encodeHeader,
  encodeIfdChain,
  even,
  ifdChainLength,
  omeUnit,
  pageBytes,
  physicalSizeFields,
  type WrittenPages,
} from "./_tiff_ifd_writer.ts";
import type { EncodeTiffOptions } from "./encode_tiff_options.ts";

const IMAGEJ_ORDER = "TZCYX";
const IMAGEJ_DTYPES: readonly DType[] = ["uint8", "uint16", "float32"];

/** Encodes an ImageJ hyperstack or, with `options.ome`, an OME-TIFF (see `encodeTiff`), naming `fn` in argument errors. */
export function encodeTiffFile(
  fn: string,
  data: NdArray<NumericArray>,
  options: EncodeTiffOptions,
): Uint8Array {
  const { dtype, axes, ome, channelNames, fields } = checkArguments(
    fn,
    data,
    options,
  );
  const shape = data.shape;
  const sizeOfAxis = (axis: string) =>
    axes.includes(axis) ? shape[axes.indexOf(axis)] : 1;
  const description = encodeDescription(
    ome
      ? omePagesDescription({
        axes,
        shape,
        dtype,
        physicalSizes: options.metadata?.physicalSizes ?? {},
        unit: omeUnit(fn, fields.unit),
        channelNames,
      })
      : imageJDescription({
        images: sizeOf(shape.slice(0, -2)),
        channels: sizeOfAxis("C"),
        slices: sizeOfAxis("Z"),
        frames: sizeOfAxis("T"),
        ...fields,
      }),
  );
  // An OME-TIFF's sizes live in its OME-XML only, in one unit.
  const resolution = ome ? undefined : fields.resolution;

  // Header, description, resolution, then the pages (16-byte aligned, contiguous as ImageJ reads them), then the IFDs.
  const descriptionAt = 8;
  const resolutionAt = even(descriptionAt + description.length);
  const pages: WrittenPages = {
    pageCount: sizeOf(shape.slice(0, -2)),
    height: shape[shape.length - 2],
    width: shape[shape.length - 1],
    dtype,
    dataAt: align16(resolutionAt + (resolution?.bytes.length ?? 0)),
    description: { at: descriptionAt, byteLength: description.length },
    resolution: resolution && { at: resolutionAt, unit: resolution.unit },
  };
  const firstIfdAt = even(pages.dataAt + pages.pageCount * pageBytes(pages));
  const fileSize = firstIfdAt + ifdChainLength(pages.pageCount, !!resolution);
  checkClassicTiffSize(fn, fileSize);

  const bytes = new Uint8Array(fileSize);
  bytes.set(encodeHeader(firstIfdAt), 0);
  bytes.set(description, descriptionAt);
  if (resolution) bytes.set(resolution.bytes, resolutionAt);
  // Every JavaScript engine Deno runs on is little-endian, so typed-array bytes are already in file order.
  // The pages start 16-byte aligned: the values are copied into the file's bytes at once.
  copyToContiguous(
    data,
    new ARRAY_TYPES[dtype](bytes.buffer, pages.dataAt, sizeOf(shape)),
  );
  bytes.set(encodeIfdChain(pages, firstIfdAt), firstIfdAt);
  return bytes;
}

function checkArguments(
  fn: string,
  data: NdArray<NumericArray>,
  options: EncodeTiffOptions,
) {
  checkNdArray(fn, "data", data, { minDims: 2 });
  const dtype = data.dtype as DType;
  // `metadata` may be a file's whole TiffMetadata, read back: only its sizes,
  // unit and channel names are used, so its other keys are not refused.
  checkOptionsObject(fn, options, ["axes", "ome", "metadata"]);
  const ome = options.ome ?? false;
  if (typeof ome !== "boolean") {
    throw argumentError(fn, "options.ome", ome, "true or false");
  }
  if (!ome && !IMAGEJ_DTYPES.includes(dtype)) {
    throw argumentError(
      fn,
      "data",
      `${data.dtype} ndarray`,
      "an ndarray of uint8, uint16 or float32 (ImageJ's sample types)",
    );
  }
  if (ome && !isOmeDtype(dtype)) {
    throw argumentError(
      fn,
      "data",
      `${data.dtype} ndarray`,
      "an ndarray of uint8, uint16, uint32, int8, int16, int32, float32 or float64 (OME's pixel types)",
    );
  }
  const shape = data.shape;
  const axes = options.axes;
  if (ome && (typeof axes !== "string" || !isOmeOrder(axes))) {
    throw argumentError(
      fn,
      "options.axes",
      axes,
      'T, Z and C at most once each, in any order, followed by "YX", e.g. "CZYX" or "TZCYX"',
    );
  }
  if (!ome && (typeof axes !== "string" || !isImageJOrder(axes))) {
    throw argumentError(
      fn,
      "options.axes",
      axes,
      'a subsequence of "TZCYX" ending in "YX", e.g. "ZCYX" (ImageJ order; transpose other orders first, ' +
        'e.g. a ZYXC array with data.transpose(0, 3, 1, 2) to "ZCYX")',
    );
  }
  if (axes.length !== shape.length) {
    throw argumentError(
      fn,
      "options.axes",
      axes,
      `one letter per axis of data (${shape.length} for shape [${
        shape.join(", ")
      }])`,
    );
  }
  const fields = physicalSizeFields(fn, options.metadata);
  if (ome) omeUnit(fn, fields.unit);
  const channelNames = checkChannelNames(
    fn,
    options.metadata?.channelNames,
    axes.includes("C") ? shape[axes.indexOf("C")] : 1,
  );
  return { dtype, axes, ome, channelNames, fields };
}

function isOmeOrder(axes: string): boolean {
  const leading = axes.slice(0, -2);
  return axes.endsWith("YX") && /^[TZC]*$/.test(leading) &&
    new Set(leading).size === leading.length;
}

function isImageJOrder(axes: string): boolean {
  if (!axes.endsWith("YX")) return false;
  let from = 0;
  for (const axis of axes) {
    const at = IMAGEJ_ORDER.indexOf(axis, from);
    if (at < 0) return false;
    from = at + 1;
  }
  return true;
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
