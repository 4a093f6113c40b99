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
import { checkOptionsObject } from "../_options_object.ts";
import type { OmeDescription } from "./_ome_xml.ts";
import { fileLayout, physicalSizesOf } from "./_tiff_axes.ts";
import { compressionName } from "./_tiff_codes.ts";
import type {
  ImageJDescription,
  ShapedDescription,
} from "./_tiff_descriptions.ts";
import { decodePages } from "./_tiff_page_decoder.ts";
import { readTiffPages } from "./_tiff_page_layout.ts";
import { checkRemoteReadOptions, loadTiffBytes } from "./_tiff_source.ts";
import type { TiffSource } from "./_tiff_source.ts";

export type {
  DimensionOrder,
  OmeDescription,
  OmeQuantity,
  OmeTiffData,
} from "./_ome_xml.ts";
export type { ImageJDescription, ShapedDescription, TiffSource };

const FN = "readTiff";

/** Options of {@linkcode readTiff}. */
export interface ReadTiffOptions {
  /** How error messages name the file when `source` is bytes (default "the given bytes"). */
  name?: string;
  /** http(s) only: give up when no byte arrives for this long, in ms (default 60 000). */
  timeout?: number;
  /** http(s) only: cancels the read; the error names the URL and has the signal's reason as its cause. */
  signal?: AbortSignal;
  /** http(s) only: refuse a body announced or growing past this many bytes (default 4 GiB). */
  maxBytes?: number;
}

/** What a TIFF says about itself, beyond its pixel values. */
export interface TiffMetadata {
  /** The raw ImageDescription of the first page, if any. */
  description?: string;
  /**
   * The parsed OME-XML description of an OME-TIFF: the first Image's sizes,
   * dimensionOrder, type, channelNames, physical sizes and TimeIncrement with
   * the units the file gives, its TiffData, and how many Images (series) the
   * file describes.
   */
  ome?: OmeDescription;
  /** Channel names, one per channel, when an OME-TIFF names any (Channel Name; "" for the unnamed). */
  channelNames?: string[];
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
   * Physical size of one step along an axis, when the file gives it: in an
   * OME-TIFF, OME-XML's PhysicalSizeX/Y/Z converted to µm and TimeIncrement
   * (T) converted to seconds; otherwise X and Y from the resolution tags, Z
   * from ImageJ `spacing`, T from ImageJ `finterval`.
   */
  physicalSizes: Partial<Record<"X" | "Y" | "Z" | "T", number>>;
  /** Unit of the X, Y and Z sizes: "µm" in an OME-TIFF, else ImageJ `unit`, else the resolution unit. */
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
 * - an OME-XML description (OME-TIFF) gives the first Image's planes in the
 *   order its DimensionOrder states, outermost first, singleton axes dropped:
 *   "XYCZT" reads as TZCYX, "XYZCT" as TCZYX; the pages its TiffData name
 *   are read, other Images (series) are not. SubIFDs (pyramid levels) are not
 *   followed: the main IFD chain holds the full resolution. A description that
 *   is malformed, names an unknown DimensionOrder, Type or unit, disagrees
 *   with the pages, or puts planes in another file (a multi-file OME set) is
 *   refused, never read with guessed axes;
 * - an ImageJ hyperstack description (`images`, `channels`, `slices`, `frames`)
 *   gives axes TZCYX in ImageJ's order, channel fastest, singleton axes dropped;
 * - a tifffile JSON description (`{"shape": [...], "axes": "..."}`) gives its
 *   shape and axes (axes it does not name are "Q");
 * - otherwise more than one page adds a leading Z axis, TIFF's own meaning of
 *   a page sequence.
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
  checkOptionsObject(FN, options, ["name", "timeout", "signal", "maxBytes"]);
  if (options.name !== undefined && typeof options.name !== "string") {
    throw argumentError(FN, "options.name", options.name, "a string");
  }
  const remote = checkRemoteReadOptions(FN, options);
  const { bytes, name } = await loadTiffBytes(FN, source, options.name, remote);
  const fail = (message: string) => new Error(`${FN}: ${name}: ${message}`);
  const file = memorySource(bytes, fail);
  const { littleEndian, bigTiff, pages, layouts } = await readTiffPages(
    file,
    fail,
  );
  const first = layouts[0];
  const layout = fileLayout(pages, layouts, fail);
  const { axes, shape, description, ome, imagej, shaped } = layout;
  const values = await decodePages(
    file,
    littleEndian,
    layouts,
    layout.pageIndices,
    fail,
  );

  const metadata: TiffMetadata = {
    pageCount: pages.length,
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
    ...physicalSizesOf(pages[0], layout),
  };
  if (description !== undefined) metadata.description = description;
  if (ome) {
    metadata.ome = ome;
    if (ome.channelNames.some((name) => name !== "")) {
      metadata.channelNames = ome.channelNames;
    }
  }
  if (imagej) metadata.imagej = imagej;
  if (shaped) metadata.shaped = shaped;
  return { data: ndarray(values, shape), axes, metadata };
}
