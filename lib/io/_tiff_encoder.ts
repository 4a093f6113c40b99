/**
 * The ImageJ hyperstack TIFF encoder shared by `encodeTiff` and `writeTiff`.
 *
 * @module
 */

import type { NdArray } from "../deps.ts";
import { argumentError } from "../_errors.ts";
import type { NumericArray } from "../array/types.ts";
import { toCOrder } from "./_c_order.ts";
import type { EncodeTiffOptions } from "./encode_tiff.ts";

const IMAGEJ_ORDER = "TZCYX";
const MAX_CLASSIC_TIFF_BYTES = 2 ** 32 - 1;
const MAX_LONG = 2 ** 32 - 1;

/** Tags written, by their TIFF 6.0 names. */
const TAG = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  PhotometricInterpretation: 262,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  PlanarConfiguration: 284,
  ResolutionUnit: 296,
  SampleFormat: 339,
} as const;

/** Field types of TIFF 6.0. */
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const ASCII = 2;

const SAMPLE_TYPES = {
  uint8: { bits: 8, format: 1 },
  uint16: { bits: 16, format: 1 },
  float32: { bits: 32, format: 3 },
} as const;

/** Encodes an ImageJ hyperstack TIFF (see `encodeTiff`), naming `fn` in argument errors. */
export function encodeImageJTiff(
  fn: string,
  data: NdArray<NumericArray>,
  options: EncodeTiffOptions,
): Uint8Array {
  const { sampleType, sizes, axes } = checkArguments(fn, data, options);
  const unit = options.metadata?.physicalUnit;
  const shape = data.shape;
  const rank = shape.length;
  const height = shape[rank - 2];
  const width = shape[rank - 1];
  const pageCount = shape.slice(0, rank - 2).reduce((a, b) => a * b, 1);
  const bytesPerSample = sampleType.bits / 8;
  const pageBytes = width * height * bytesPerSample;
  const sizeOf = (
    axis: string,
  ) => (axes.includes(axis) ? shape[axes.indexOf(axis)] : 1);

  const description = imageJDescription(
    pageCount,
    sizeOf("C"),
    sizeOf("Z"),
    sizeOf("T"),
    sizes,
    unit,
  );
  const descriptionBytes = new TextEncoder().encode(`${description}\0`);
  const resolution = sizes.X !== undefined && sizes.Y !== undefined
    ? {
      x: pixelsPerUnit(fn, "X", sizes.X),
      y: pixelsPerUnit(fn, "Y", sizes.Y),
      unit: resolutionUnit(unit),
    }
    : undefined;

  const descriptionAt = 8;
  const resolutionAt = even(descriptionAt + descriptionBytes.length);
  const dataAt = align(resolutionAt + (resolution ? 16 : 0), 16);
  const dataEnd = dataAt + pageCount * pageBytes;
  const firstIfdAt = even(dataEnd);
  // 12 tags on every page, the description on the first, 3 resolution tags when sizes are given.
  const tagCount = (first: boolean) =>
    12 + (first ? 1 : 0) + (resolution ? 3 : 0);
  const ifdBytes = (first: boolean) => 2 + 12 * tagCount(first) + 4;
  const fileSize = firstIfdAt + ifdBytes(true) +
    (pageCount - 1) * ifdBytes(false);
  if (fileSize > MAX_CLASSIC_TIFF_BYTES) {
    throw new RangeError(
      `${fn}: the TIFF would take ${fileSize} bytes; expected at most 4 GiB (${MAX_CLASSIC_TIFF_BYTES} bytes), ` +
        `as BigTIFF is not written: split the data into several files`,
    );
  }

  const bytes = new Uint8Array(fileSize);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x49;
  bytes[1] = 0x49;
  view.setUint16(2, 42, true);
  view.setUint32(4, firstIfdAt, true);
  bytes.set(descriptionBytes, descriptionAt);
  if (resolution) {
    view.setUint32(resolutionAt, resolution.x[0], true);
    view.setUint32(resolutionAt + 4, resolution.x[1], true);
    view.setUint32(resolutionAt + 8, resolution.y[0], true);
    view.setUint32(resolutionAt + 12, resolution.y[1], true);
  }
  // Every JavaScript engine Deno runs on is little-endian, so typed-array bytes are already in file order.
  const values = toCOrder(data);
  bytes.set(
    new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    dataAt,
  );

  let ifdAt = firstIfdAt;
  for (let page = 0; page < pageCount; page++) {
    const first = page === 0;
    const entries: [tag: number, type: number, count: number, value: number][] =
      [
        [TAG.NewSubfileType, LONG, 1, 0],
        [TAG.ImageWidth, LONG, 1, width],
        [TAG.ImageLength, LONG, 1, height],
        [TAG.BitsPerSample, SHORT, 1, sampleType.bits],
        [TAG.Compression, SHORT, 1, 1],
        [TAG.PhotometricInterpretation, SHORT, 1, 1],
        [TAG.StripOffsets, LONG, 1, dataAt + page * pageBytes],
        [TAG.SamplesPerPixel, SHORT, 1, 1],
        [TAG.RowsPerStrip, LONG, 1, height],
        [TAG.StripByteCounts, LONG, 1, pageBytes],
        [TAG.PlanarConfiguration, SHORT, 1, 1],
        [TAG.SampleFormat, SHORT, 1, sampleType.format],
      ];
    // ImageJ reads the description from the first page only.
    if (first) {
      entries.push([
        TAG.ImageDescription,
        ASCII,
        descriptionBytes.length,
        descriptionAt,
      ]);
    }
    if (resolution) {
      entries.push(
        [TAG.XResolution, RATIONAL, 1, resolutionAt],
        [TAG.YResolution, RATIONAL, 1, resolutionAt + 8],
        [TAG.ResolutionUnit, SHORT, 1, resolution.unit],
      );
    }
    entries.sort((a, b) => a[0] - b[0]);
    view.setUint16(ifdAt, entries.length, true);
    entries.forEach(([tag, type, count, value], i) => {
      const at = ifdAt + 2 + 12 * i;
      view.setUint16(at, tag, true);
      view.setUint16(at + 2, type, true);
      view.setUint32(at + 4, count, true);
      if (type === SHORT) view.setUint16(at + 8, value, true);
      else view.setUint32(at + 8, value, true);
    });
    const next = ifdAt + ifdBytes(first);
    view.setUint32(
      ifdAt + 2 + 12 * entries.length,
      page === pageCount - 1 ? 0 : next,
      true,
    );
    ifdAt = next;
  }
  return bytes;
}

function checkArguments(
  fn: string,
  data: NdArray<NumericArray>,
  options: EncodeTiffOptions,
) {
  const shape = (data as { shape?: unknown })?.shape;
  if (
    typeof data !== "object" || data === null || !Array.isArray(shape) ||
    !Array.isArray(data.stride) ||
    !ArrayBuffer.isView(data.data)
  ) {
    throw argumentError(fn, "data", data, "an ndarray over a typed array");
  }
  const sampleType = SAMPLE_TYPES[data.dtype as keyof typeof SAMPLE_TYPES];
  if (sampleType === undefined || data.data instanceof Uint8ClampedArray) {
    throw argumentError(
      fn,
      "data",
      `${data.dtype} ndarray`,
      "an ndarray of uint8, uint16 or float32 (ImageJ's sample types)",
    );
  }
  if (shape.length < 2 || shape.some((n) => !Number.isInteger(n) || n < 1)) {
    throw argumentError(
      fn,
      "data",
      data,
      "an ndarray with at least 2 axes, each of length >= 1",
    );
  }
  if (typeof options !== "object" || options === null) {
    throw argumentError(
      fn,
      "options",
      options,
      'an object such as { axes: "ZCYX" }',
    );
  }
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
  return { sampleType, sizes, axes };
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

function imageJDescription(
  images: number,
  channels: number,
  slices: number,
  frames: number,
  sizes: Partial<Record<"X" | "Y" | "Z" | "T", number>>,
  unit: string | undefined,
): string {
  const lines = [
    "ImageJ=1.11a",
    `images=${images}`,
    `channels=${channels}`,
    `slices=${slices}`,
    `frames=${frames}`,
    "hyperstack=true",
    "mode=grayscale",
  ];
  if (unit !== undefined) lines.push(`unit=${escapeNonAscii(unit)}`);
  if (sizes.Z !== undefined) lines.push(`spacing=${sizes.Z}`);
  if (sizes.T !== undefined) lines.push(`finterval=${sizes.T}`);
  return `${lines.join("\n")}\n`;
}

/** TIFF ASCII is 7-bit: write non-ASCII as `\uXXXX`, as tifffile does (`µm` → `\u00b5m`). */
function escapeNonAscii(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
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

function resolutionUnit(unit: string | undefined): number {
  if (unit === "inch") return 2;
  if (unit === "cm" || unit === "centimeter") return 3;
  return 1;
}

function even(n: number): number {
  return n + (n & 1);
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
