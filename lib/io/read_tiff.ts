/**
 * Reads a multi-page TIFF into one C-contiguous ndarray whose axes come from the
 * file itself.
 *
 * @module
 */

import { type NdArray, ndarray } from "../deps.ts";
import { argumentError } from "../_errors.ts";
import type { DType, NumericArray } from "../array/types.ts";
import { memorySource } from "./_byte_source.ts";
import { checkOptionsObject } from "./_io_checks.ts";
import { compressionName, resolutionUnitOf } from "./_tiff_codes.ts";
import {
  isImageJDescription,
  parseImageJDescription,
  parseShapedDescription,
} from "./_tiff_descriptions.ts";
import {
  numberOf,
  numbersOf,
  textOf,
  type TiffDirectory,
} from "./_tiff_directory.ts";
import { decodePages } from "./_tiff_page_decoder.ts";
import { readTiffPages } from "./_tiff_page_layout.ts";
import { loadTiffBytes } from "./_tiff_source.ts";
import { TAG } from "./_tiff_tags.ts";
import type {
  ImageJDescription,
  ShapedDescription,
} from "./_tiff_descriptions.ts";
import type { TiffSource } from "./_tiff_source.ts";

export type { ImageJDescription, ShapedDescription, TiffSource };

const FN = "readTiff";

/** Options of {@linkcode readTiff}. */
export interface ReadTiffOptions {
  /** How error messages name the file when `source` is bytes (default "the given bytes"). */
  name?: string;
}

/** What a TIFF says about itself, beyond its pixel values. */
export interface TiffMetadata {
  /** The raw ImageDescription of the first page, if any. */
  description?: string;
  /** The parsed ImageJ description (`images`, `channels`, `slices`, `frames`, `spacing`, `unit`, `finterval`, `min`, `max`, …). */
  imagej?: ImageJDescription;
  /** The parsed tifffile JSON description (`shape`, `axes`, …). */
  shaped?: ShapedDescription;
  /** Number of pages (IFDs) in the file. */
  pageCount: number;
  /** Page width (X) in pixels. */
  width: number;
  /** Page height (Y) in pixels. */
  height: number;
  /** Samples per pixel (e.g. 3 for RGB pages); more than 1 adds an S axis. */
  samplesPerPixel: number;
  /** "contig": samples interleaved (…YXS); "separate": one plane per sample (…SYX). */
  planarConfiguration: "contig" | "separate";
  /** TIFF Compression tag value (1 none, 5 LZW, 8 and 32946 deflate, 32773 PackBits, …). */
  compression: number;
  /** Name of the compression: "none", "lzw", "deflate", "packbits", … */
  compressionName: string;
  /** TIFF Predictor tag value (1 none, 2 horizontal differencing, 3 floating point). */
  predictor: number;
  /** Bits of each sample: 8, 16, 32 or 64. */
  bitsPerSample: number;
  /** TIFF SampleFormat: unsigned integer, signed integer or IEEE float. */
  sampleFormat: "uint" | "int" | "float";
  /** The sample type of `data`, from bitsPerSample and sampleFormat. */
  dtype: DType;
  /** Byte order of the file: "II" is little, "MM" is big. */
  byteOrder: "little" | "big";
  /** True for a BigTIFF (version 43, 64-bit offsets) container. */
  bigTiff: boolean;
  /** XResolution and YResolution of the first page, in pixels per `unit`. */
  resolution?: { x: number; y: number; unit: "none" | "inch" | "centimeter" };
  /**
   * Physical size of one step along an axis, when the file gives it: X and Y from
   * the resolution tags, Z from ImageJ `spacing`, T from ImageJ `finterval`.
   */
  physicalSizes: Partial<Record<"X" | "Y" | "Z" | "T", number>>;
  /** Unit of the X, Y and Z sizes (ImageJ `unit`, else the resolution unit). */
  physicalUnit?: string;
}

/** A decoded TIFF: values, axis names (one letter per axis of `data`) and metadata. */
export interface TiffImage {
  /** C-contiguous values in the file's sample type, shape matching `axes`. */
  data: NdArray<NumericArray>;
  /** Axis letters, e.g. "ZCYX": T time, Z plane, C channel, S sample, Y row, X column, Q unnamed. */
  axes: string;
  /** What the file says about itself. */
  metadata: TiffMetadata;
}

/**
 * Reads every page of a TIFF into one C-contiguous ndarray in the file's sample
 * type (uint8/16/32, int8/16/32, float32/64), with axes taken from the file:
 *
 * - an ImageJ hyperstack description (`images`, `channels`, `slices`, `frames`)
 *   gives axes TZCYX in ImageJ's order, channel fastest, singleton axes dropped;
 * - a tifffile JSON description (`{"shape": [...], "axes": "..."}`) gives its
 *   shape and axes (axes it does not name are "Q");
 * - otherwise more than one page adds a leading Z axis.
 *
 * Pages with several samples per pixel end in YXS when interleaved and SYX when
 * stored as separate planes. Little- and big-endian TIFF and BigTIFF (TIFF 6.0
 * specification, Adobe 1992; BigTIFF, Aware Systems 2008) are read. Uncompressed
 * strips, the usual microscopy layout, are copied directly (byte-swapped when
 * big-endian); tiles and compressed data (deflate, zstd, LZW, PackBits, with
 * or without the horizontal or floating-point predictor) are decoded strip by
 * strip or tile by tile. The whole file is held in memory while reading.
 *
 * Empty, foreign, truncated and inconsistent files, and descriptions that
 * disagree with the pages, throw an Error naming the file, what was expected and
 * what was found; no partial data is ever returned.
 *
 * @param source A file path, a `file:` or `http(s):` URL, or the file's bytes.
 * @param options `name`: how errors name in-memory bytes.
 * @returns The values, their axes and the file's metadata.
 *
 * @example Read a hyperstack written by writeTiff
 * ```ts
 * import { ndarray } from "../deps.ts";
 * import { encodeTiff } from "./encode_tiff.ts";
 * import { readTiff } from "./read_tiff.ts";
 *
 * const volume = ndarray(new Uint16Array(2 * 3 * 4 * 5).map((_, i) => i), [2, 3, 4, 5]);
 * const bytes = encodeTiff(volume, { axes: "ZCYX" });
 * const { data, axes, metadata } = await readTiff(bytes);
 * if (
 *   axes !== "ZCYX" || data.shape.join() !== "2,3,4,5" ||
 *   metadata.dtype !== "uint16" || data.get(1, 2, 3, 4) !== 119
 * ) throw new Error("round trip failed");
 * console.log(axes, data.shape, metadata.dtype); // "ZCYX" [2, 3, 4, 5] "uint16"
 * ```
 */
export async function readTiff(
  source: TiffSource,
  options: ReadTiffOptions = {},
): Promise<TiffImage> {
  checkOptionsObject(FN, options, "{ name }");
  if (options.name !== undefined && typeof options.name !== "string") {
    throw argumentError(FN, "options.name", options.name, "a string");
  }
  const { bytes, name } = await loadTiffBytes(FN, source, options.name);
  const fail = (message: string) => new Error(`${FN}: ${name}: ${message}`);
  const file = memorySource(bytes, fail);
  const { littleEndian, bigTiff, pages, layouts } = await readTiffPages(
    file,
    fail,
  );
  const pageCount = pages.length;
  const first = layouts[0];
  const directory = pages[0];
  const description = textOf(directory, TAG.ImageDescription);
  const pageAxes = first.samplesPerPixel === 1
    ? "YX"
    : first.planar
    ? "SYX"
    : "YXS";
  const pageShape = first.samplesPerPixel === 1
    ? [first.height, first.width]
    : first.planar
    ? [first.samplesPerPixel, first.height, first.width]
    : [first.height, first.width, first.samplesPerPixel];
  const pageValues = first.width * first.height * first.samplesPerPixel;

  const imagej = isImageJDescription(description)
    ? parseImageJDescription(description)
    : undefined;
  const shaped = imagej ? undefined : parseShapedDescription(description);
  const { axes, shape } = imagej
    ? imageJLayout(imagej, pageCount, pageAxes, pageShape, fail)
    : shaped
    ? shapedLayout(shaped, pageCount, pageValues, pageAxes, pageShape, fail)
    : pageCount > 1
    ? { axes: `Z${pageAxes}`, shape: [pageCount, ...pageShape] }
    : { axes: pageAxes, shape: pageShape };

  const values = await decodePages(
    file,
    littleEndian,
    layouts,
    pages.map((_, index) => index),
    fail,
  );

  const metadata: TiffMetadata = {
    pageCount,
    width: first.width,
    height: first.height,
    samplesPerPixel: first.samplesPerPixel,
    planarConfiguration: first.planar ? "separate" : "contig",
    compression: first.compression,
    compressionName: compressionName(first.compression),
    predictor: first.predictor,
    bitsPerSample: first.bitsPerSample,
    sampleFormat: first.sampleFormat,
    dtype: first.dtype,
    byteOrder: littleEndian ? "little" : "big",
    bigTiff,
    physicalSizes: {},
  };
  if (description !== undefined) metadata.description = description;
  if (imagej) metadata.imagej = imagej;
  if (shaped) metadata.shaped = shaped;
  addPhysicalSizes(metadata, directory);
  return { data: ndarray(values, shape), axes, metadata };
}

function imageJLayout(
  imagej: ImageJDescription,
  pageCount: number,
  pageAxes: string,
  pageShape: number[],
  fail: (m: string) => Error,
): { axes: string; shape: number[] } {
  const count = (key: string): number => {
    const value = imagej[key] ?? 1;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw fail(
        `ImageJ description: expected ${key} to be a positive integer, found ${
          JSON.stringify(value)
        }`,
      );
    }
    return value;
  };
  const images = count("images");
  const channels = count("channels");
  let slices = count("slices");
  const frames = count("frames");
  // A plain ImageJ stack names only `images`: its pages are planes.
  if (channels * slices * frames === 1) slices = images;
  if (channels * slices * frames !== images) {
    throw fail(
      `ImageJ description says images=${images} but channels x slices x frames = ` +
        `${channels} x ${slices} x ${frames} = ${channels * slices * frames}`,
    );
  }
  if (images !== pageCount) {
    throw fail(
      `ImageJ description says images=${images} (${channels} channels x ${slices} slices x ${frames} frames) ` +
        `but the file has ${pageCount} pages`,
    );
  }
  let axes = "";
  const shape: number[] = [];
  for (
    const [axis, size] of [["T", frames], ["Z", slices], [
      "C",
      channels,
    ]] as const
  ) {
    if (size > 1) {
      axes += axis;
      shape.push(size);
    }
  }
  return { axes: axes + pageAxes, shape: [...shape, ...pageShape] };
}

function shapedLayout(
  shaped: ShapedDescription,
  pageCount: number,
  pageValues: number,
  pageAxes: string,
  pageShape: number[],
  fail: (m: string) => Error,
): { axes: string; shape: number[] } {
  const shape = shaped.shape;
  const described = shape.reduce((a, b) => a * b, 1);
  if (described !== pageCount * pageValues) {
    throw fail(
      `description gives shape [${
        shape.join(", ")
      }] (${described} values) but the file holds ` +
        `${pageCount} pages of ${pageShape.join("x")} (${
          pageCount * pageValues
        } values)`,
    );
  }
  if (shaped.axes !== undefined) {
    if (
      typeof shaped.axes !== "string" || shaped.axes.length !== shape.length
    ) {
      throw fail(
        `description gives axes ${JSON.stringify(shaped.axes)} for shape [${
          shape.join(", ")
        }]; ` +
          `expected one letter per axis`,
      );
    }
    return { axes: shaped.axes.toUpperCase(), shape: [...shape] };
  }
  const leading = shape.length - pageShape.length;
  const trailingMatches = leading >= 0 &&
    pageShape.every((size, i) => shape[leading + i] === size);
  const axes = trailingMatches
    ? "Q".repeat(leading) + pageAxes
    : "Q".repeat(shape.length);
  return { axes, shape: [...shape] };
}

function addPhysicalSizes(
  metadata: TiffMetadata,
  directory: TiffDirectory,
): void {
  const x = numbersOf(directory, TAG.XResolution);
  const y = numbersOf(directory, TAG.YResolution);
  const unit = resolutionUnitOf(numberOf(directory, TAG.ResolutionUnit) ?? 2);
  if (x && y) {
    metadata.resolution = { x: x[0] / x[1], y: y[0] / y[1], unit };
  }
  const imagej = metadata.imagej;
  // Without a unit (ResolutionUnit none) the resolution is a pixel size only in
  // ImageJ files (whose description may name the unit); tifffile writes 1/1
  // "none" as a placeholder elsewhere.
  if (x && y && x[0] > 0 && y[0] > 0 && (unit !== "none" || imagej)) {
    // Size per pixel as denominator / numerator, one rounding: 25/31 pixels per unit reads back as 1.24.
    metadata.physicalSizes.X = x[1] / x[0];
    metadata.physicalSizes.Y = y[1] / y[0];
  }
  if (imagej && typeof imagej.spacing === "number") {
    metadata.physicalSizes.Z = imagej.spacing;
  }
  if (imagej && typeof imagej.finterval === "number") {
    metadata.physicalSizes.T = imagej.finterval;
  }
  if (imagej && typeof imagej.unit === "string") {
    metadata.physicalUnit = imagej.unit;
  } else if (metadata.resolution && unit !== "none") {
    metadata.physicalUnit = unit;
  }
}
