/**
 * The ImageJ hyperstack encoder behind `encodeTiff` and `writeTiff`: checks
 * the arguments, then lays out the whole file in memory with the writer core.
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
import { checkOptionsObject } from "./_io_checks.ts";
import { resolutionUnitCode } from "./_tiff_codes.ts";
import { imageJDescription } from "./_tiff_descriptions.ts";
import {
  checkClassicTiffSize,
  encodeDescription,
  encodeHeader,
  encodeIfdChain,
  encodeResolution,
  even,
  ifdChainLength,
  pageBytes,
  type WrittenPages,
} from "./_tiff_ifd_writer.ts";
import type { EncodeTiffOptions } from "./encode_tiff_options.ts";

const IMAGEJ_ORDER = "TZCYX";
const IMAGEJ_DTYPES: readonly DType[] = ["uint8", "uint16", "float32"];
const MAX_LONG = 2 ** 32 - 1;

/** Encodes an ImageJ hyperstack TIFF (see `encodeTiff`), naming `fn` in argument errors. */
export function encodeImageJTiff(
  fn: string,
  data: NdArray<NumericArray>,
  options: EncodeTiffOptions,
): Uint8Array {
  const { dtype, sizes, axes } = checkArguments(fn, data, options);
  const unit = options.metadata?.physicalUnit;
  const shape = data.shape;
  const sizeOfAxis = (axis: string) =>
    axes.includes(axis) ? shape[axes.indexOf(axis)] : 1;
  const description = encodeDescription(imageJDescription({
    images: sizeOf(shape.slice(0, -2)),
    channels: sizeOfAxis("C"),
    slices: sizeOfAxis("Z"),
    frames: sizeOfAxis("T"),
    unit,
    spacing: sizes.Z,
    finterval: sizes.T,
  }));
  const resolution = sizes.X !== undefined && sizes.Y !== undefined
    ? encodeResolution(
      pixelsPerUnit(fn, "X", sizes.X),
      pixelsPerUnit(fn, "Y", sizes.Y),
    )
    : undefined;

  // Header, description, resolution, then the pages (16-byte aligned, contiguous as ImageJ reads them), then the IFDs.
  const descriptionAt = 8;
  const resolutionAt = even(descriptionAt + description.length);
  const pages: WrittenPages = {
    pageCount: sizeOf(shape.slice(0, -2)),
    height: shape[shape.length - 2],
    width: shape[shape.length - 1],
    dtype,
    dataAt: align16(resolutionAt + (resolution?.length ?? 0)),
    description: { at: descriptionAt, byteLength: description.length },
    resolution: resolution &&
      { at: resolutionAt, unit: resolutionUnitCode(unit) },
  };
  const firstIfdAt = even(pages.dataAt + pages.pageCount * pageBytes(pages));
  const fileSize = firstIfdAt + ifdChainLength(pages.pageCount, !!resolution);
  checkClassicTiffSize(fn, fileSize);

  const bytes = new Uint8Array(fileSize);
  bytes.set(encodeHeader(firstIfdAt), 0);
  bytes.set(description, descriptionAt);
  if (resolution) bytes.set(resolution, resolutionAt);
  // Every JavaScript engine Deno runs on is little-endian, so typed-array bytes are already in file order.
  const values = new ARRAY_TYPES[dtype](sizeOf(shape));
  copyToContiguous(data, values);
  bytes.set(
    new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    pages.dataAt,
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
  if (!IMAGEJ_DTYPES.includes(dtype)) {
    throw argumentError(
      fn,
      "data",
      `${data.dtype} ndarray`,
      "an ndarray of uint8, uint16 or float32 (ImageJ's sample types)",
    );
  }
  const shape = data.shape;
  checkOptionsObject(fn, options, '{ axes: "ZCYX" }');
  const axes = options.axes;
  if (typeof axes !== "string" || !isImageJOrder(axes)) {
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
  const metadata = options.metadata ?? {};
  if (typeof metadata !== "object" || metadata === null) {
    throw argumentError(
      fn,
      "options.metadata",
      metadata,
      "an object such as { physicalSizes, physicalUnit }",
    );
  }
  const sizes = metadata.physicalSizes ?? {};
  for (const axis of ["X", "Y", "Z", "T"] as const) {
    const size = sizes[axis];
    if (
      size !== undefined &&
      !(typeof size === "number" && Number.isFinite(size) && size > 0)
    ) {
      throw argumentError(
        fn,
        `options.metadata.physicalSizes.${axis}`,
        size,
        "a finite number > 0",
      );
    }
  }
  const unit = metadata.physicalUnit;
  if (
    unit !== undefined &&
    (typeof unit !== "string" || unit === "" ||
      [...unit].some((c) => c < " " || c === "="))
  ) {
    throw argumentError(
      fn,
      "options.metadata.physicalUnit",
      unit,
      "a non-empty string without control characters or '='",
    );
  }
  return { dtype, sizes, axes };
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

/**
 * XResolution/YResolution for a pixel of `size` units, as [numerator, denominator]
 * = pixels per unit. The continued-fraction convergent whose denominator/numerator
 * equals `size` exactly (e.g. 1.24 → 25/31) is used when one fits 32 bits.
 */
function pixelsPerUnit(
  fn: string,
  axis: string,
  size: number,
): [number, number] {
  let [p0, q0, p1, q1] = [0, 1, 1, 0];
  let rest = size;
  for (let term = 0; term < 64; term++) {
    const whole = Math.floor(rest);
    const p2 = whole * p1 + p0;
    const q2 = whole * q1 + q0;
    if (p2 > MAX_LONG || q2 > MAX_LONG) break;
    [p0, q0, p1, q1] = [p1, q1, p2, q2];
    if (p1 / q1 === size || rest === whole) break;
    rest = 1 / (rest - whole);
  }
  if (p1 === 0 || q1 === 0) {
    throw argumentError(
      fn,
      `options.metadata.physicalSizes.${axis}`,
      size,
      "a size between 2^-32 and 2^32 units",
    );
  }
  return [q1, p1];
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
