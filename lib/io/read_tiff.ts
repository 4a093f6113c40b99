/**
 * Reads a multi-page TIFF into one C-contiguous ndarray whose axes come from the
 * file itself.
 *
 * @module
 */

import {
  geotiffFromArrayBuffer,
  type GeoTIFFImage,
  type NdArray,
  ndarray,
} from "../deps.ts";
import { argumentError } from "../_errors.ts";
import type { DType, NumericArray } from "../array/types.ts";
import { loadTiffBytes } from "./_tiff_source.ts";
import { copyUncompressedStrips } from "./_uncompressed_strips.ts";
import { readTiffStructure } from "./_tiff_structure.ts";
import {
  isImageJDescription,
  parseImageJDescription,
  parseShapedDescription,
} from "./_tiff_descriptions.ts";

const FN = "readTiff";

/** Where `readTiff` reads from: a file path, a `file:` or `http(s):` URL, or the file's bytes. */
export type TiffSource = string | URL | Uint8Array | ArrayBuffer;

/** A parsed ImageJ description: `key=value` lines with numbers and booleans converted, e.g. `{ images: 15, channels: 3, hyperstack: true }`. */
export type ImageJDescription = Record<string, string | number | boolean>;

/** A parsed tifffile JSON description, e.g. `{ shape: [5, 3, 40, 36], axes: "ZCYX" }`. */
export interface ShapedDescription {
  /** The array's shape; its product must equal the values in the file. */
  shape: number[];
  /** One letter per axis of `shape`, when the writer named them. */
  axes?: string;
  /** Any further keys the writer stored. */
  [key: string]: unknown;
}

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

const COMPRESSION_NAMES: Record<number, string> = {
  1: "none",
  5: "lzw",
  7: "jpeg",
  8: "deflate",
  32773: "packbits",
  32946: "deflate",
  50000: "zstd",
};

const DTYPES: Record<
  string,
  { dtype: DType; make: (n: number) => NumericArray }
> = {
  "uint8": { dtype: "uint8", make: (n) => new Uint8Array(n) },
  "uint16": { dtype: "uint16", make: (n) => new Uint16Array(n) },
  "uint32": { dtype: "uint32", make: (n) => new Uint32Array(n) },
  "int8": { dtype: "int8", make: (n) => new Int8Array(n) },
  "int16": { dtype: "int16", make: (n) => new Int16Array(n) },
  "int32": { dtype: "int32", make: (n) => new Int32Array(n) },
  "float32": { dtype: "float32", make: (n) => new Float32Array(n) },
  "float64": { dtype: "float64", make: (n) => new Float64Array(n) },
};

/** The per-page facts every page of a file must share. */
interface PageLayout {
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: number;
  sampleFormat: "uint" | "int" | "float";
  planar: boolean;
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
 * big-endian); tiles and compressed data (deflate, LZW with or without the
 * horizontal predictor, PackBits) are decoded by npm:geotiff. The whole file is
 * held in memory while reading.
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
 * console.log(axes, data.shape, metadata.dtype); // "ZCYX" [2, 3, 4, 5] "uint16"
 * if (data.get(1, 2, 3, 4) !== 119) throw new Error("round trip failed");
 * ```
 */
export async function readTiff(
  source: TiffSource,
  options: ReadTiffOptions = {},
): Promise<TiffImage> {
  if (typeof options !== "object" || options === null) {
    throw argumentError(FN, "options", options, "an object such as { name }");
  }
  if (options.name !== undefined && typeof options.name !== "string") {
    throw argumentError(FN, "options.name", options.name, "a string");
  }
  const { buffer, name } = await loadTiffBytes(FN, source, options.name);
  const fail = (message: string) => new Error(`${FN}: ${name}: ${message}`);
  const structure = readTiffStructure(FN, name, buffer);
  const pageCount = structure.ifdOffsets.length;

  let tiff;
  try {
    tiff = await geotiffFromArrayBuffer(buffer);
  } catch (error) {
    throw new Error(
      `${FN}: ${name}: cannot parse the TIFF (${(error as Error).message})`,
      { cause: error },
    );
  }
  const pages: GeoTIFFImage[] = [];
  for (let index = 0; index < pageCount; index++) {
    try {
      pages.push(await tiff.getImage(index));
    } catch (error) {
      throw fail(
        `cannot parse page ${index} of ${pageCount} (${
          (error as Error).message
        })`,
      );
    }
  }

  const first = await pageLayout(pages[0], 0, fail);
  for (let index = 1; index < pageCount; index++) {
    const layout = await pageLayout(pages[index], index, fail);
    if (!sameLayout(first, layout)) {
      throw fail(
        `inconsistent pages: expected every page to be ${
          describeLayout(first)
        } like page 0, ` +
          `page ${index} is ${describeLayout(layout)}`,
      );
    }
  }
  const blocks: DataBlocks[] = [];
  for (let index = 0; index < pageCount; index++) {
    blocks.push(
      await checkDataInBounds(pages[index], index, buffer.byteLength, fail),
    );
  }
  const file = {
    bytes: new Uint8Array(buffer),
    littleEndian: structure.littleEndian,
  };

  const directory = pages[0].getFileDirectory();
  // TIFF ASCII values end in NUL, which geotiff keeps.
  const description = (await loadTag<string>(directory, "ImageDescription"))
    ?.replace(/\0+$/, "");
  const typeName = `${first.sampleFormat}${first.bitsPerSample}`;
  const sampleType = DTYPES[typeName];
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

  const values = sampleType.make(pageCount * pageValues);
  for (let index = 0; index < pageCount; index++) {
    await decodePage(
      pages[index],
      index,
      first,
      blocks[index],
      file,
      values,
      index * pageValues,
      fail,
    );
  }

  const compression = (await loadTag<number>(directory, "Compression")) ?? 1;
  const metadata: TiffMetadata = {
    pageCount,
    width: first.width,
    height: first.height,
    samplesPerPixel: first.samplesPerPixel,
    planarConfiguration: first.planar ? "separate" : "contig",
    compression,
    compressionName: COMPRESSION_NAMES[compression] ??
      `compression ${compression}`,
    predictor: (await loadTag<number>(directory, "Predictor")) ?? 1,
    bitsPerSample: first.bitsPerSample,
    sampleFormat: first.sampleFormat,
    dtype: sampleType.dtype,
    byteOrder: structure.littleEndian ? "little" : "big",
    bigTiff: structure.bigTiff,
    physicalSizes: {},
  };
  if (description !== undefined) metadata.description = description;
  if (imagej) metadata.imagej = imagej;
  if (shaped) metadata.shaped = shaped;
  await addPhysicalSizes(metadata, directory);
  return { data: ndarray(values, shape), axes, metadata };
}

type Directory = ReturnType<GeoTIFFImage["getFileDirectory"]>;

async function loadTag<T>(
  directory: Directory,
  tag: string,
): Promise<T | undefined> {
  if (!directory.hasTag(tag as never)) return undefined;
  return await directory.loadValue(tag as never) as T;
}

async function pageLayout(
  page: GeoTIFFImage,
  index: number,
  fail: (m: string) => Error,
): Promise<PageLayout> {
  const samplesPerPixel = page.getSamplesPerPixel();
  const bits = new Set<number>();
  const formats = new Set<number>();
  for (let sample = 0; sample < samplesPerPixel; sample++) {
    bits.add(page.getBitsPerSample(sample));
    formats.add(page.getSampleFormat(sample));
  }
  if (bits.size !== 1 || formats.size !== 1) {
    throw fail(
      `page ${index}: expected one sample type for all samples, found bits ${[
        ...bits,
      ]} formats ${[...formats]}`,
    );
  }
  const [bitsPerSample] = bits;
  const [formatCode] = formats;
  const sampleFormat = formatCode === 1
    ? "uint"
    : formatCode === 2
    ? "int"
    : formatCode === 3
    ? "float"
    : undefined;
  if (
    sampleFormat === undefined ||
    DTYPES[`${sampleFormat}${bitsPerSample}`] === undefined
  ) {
    throw fail(
      `page ${index}: unsupported samples: expected 8, 16 or 32-bit integers or 32 or 64-bit floats, ` +
        `found ${bitsPerSample}-bit SampleFormat ${formatCode}`,
    );
  }
  const planarCode =
    (await loadTag<number>(page.getFileDirectory(), "PlanarConfiguration")) ??
      1;
  return {
    width: page.getWidth(),
    height: page.getHeight(),
    samplesPerPixel,
    bitsPerSample,
    sampleFormat,
    planar: samplesPerPixel > 1 && planarCode === 2,
  };
}

function sameLayout(a: PageLayout, b: PageLayout): boolean {
  return a.width === b.width && a.height === b.height &&
    a.samplesPerPixel === b.samplesPerPixel &&
    a.bitsPerSample === b.bitsPerSample && a.sampleFormat === b.sampleFormat &&
    a.planar === b.planar;
}

function describeLayout(layout: PageLayout): string {
  const samples = layout.samplesPerPixel === 1
    ? ""
    : ` x ${layout.samplesPerPixel} ${
      layout.planar ? "planar" : "interleaved"
    } samples`;
  return `${layout.width}x${layout.height}${samples} of ${layout.sampleFormat}${layout.bitsPerSample}`;
}

/** Where a page's strips or tiles lie in the file. */
interface DataBlocks {
  offsets: ArrayLike<number>;
  byteCounts: ArrayLike<number>;
}

/** Every strip or tile must lie inside the file: a truncated file fails here, before decoding. */
async function checkDataInBounds(
  page: GeoTIFFImage,
  index: number,
  fileSize: number,
  fail: (m: string) => Error,
): Promise<DataBlocks> {
  const directory = page.getFileDirectory();
  const kind = page.isTiled ? "tile" : "strip";
  const offsets = await loadTag<ArrayLike<number>>(
    directory,
    page.isTiled ? "TileOffsets" : "StripOffsets",
  );
  const counts = await loadTag<ArrayLike<number>>(
    directory,
    page.isTiled ? "TileByteCounts" : "StripByteCounts",
  );
  if (
    offsets === undefined || counts === undefined ||
    offsets.length !== counts.length
  ) {
    throw fail(
      `corrupt page ${index}: expected matching ${kind} offsets and byte counts, found ` +
        `${offsets?.length ?? "no"} offsets and ${
          counts?.length ?? "no"
        } byte counts`,
    );
  }
  for (let block = 0; block < offsets.length; block++) {
    const end = Number(offsets[block]) + Number(counts[block]);
    if (end > fileSize) {
      throw fail(
        `the file is truncated: page ${index} ${kind} ${block} spans bytes ${
          offsets[block]
        }..${end} ` +
          `but the file has ${fileSize} bytes`,
      );
    }
  }
  return { offsets, byteCounts: counts };
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

async function decodePage(
  page: GeoTIFFImage,
  index: number,
  layout: PageLayout,
  blocks: DataBlocks,
  file: { bytes: Uint8Array; littleEndian: boolean },
  values: NumericArray,
  offset: number,
  fail: (m: string) => Error,
): Promise<void> {
  const directory = page.getFileDirectory();
  const compression = (await loadTag<number>(directory, "Compression")) ?? 1;
  if (compression === 1 && !page.isTiled) {
    const bytesPerSample = layout.bitsPerSample / 8;
    const pageValues = layout.width * layout.height * layout.samplesPerPixel;
    const target = new Uint8Array(
      values.buffer,
      values.byteOffset + offset * bytesPerSample,
      pageValues * bytesPerSample,
    );
    const strips = {
      ...layout,
      bytesPerSample,
      rowsPerStrip: (await loadTag<number>(directory, "RowsPerStrip")) ??
        layout.height,
      ...blocks,
    };
    copyUncompressedStrips(
      file.bytes,
      file.littleEndian,
      strips,
      target,
      (message) => fail(`corrupt page ${index}: ${message}`),
    );
    return;
  }
  try {
    if (layout.planar) {
      const planes = await page.readRasters({ interleave: false });
      const planeValues = layout.width * layout.height;
      planes.forEach((plane, sample) =>
        values.set(plane, offset + sample * planeValues)
      );
    } else {
      values.set(await page.readRasters({ interleave: true }), offset);
    }
  } catch (error) {
    throw fail(`cannot decode page ${index} (${(error as Error).message})`);
  }
}

async function addPhysicalSizes(
  metadata: TiffMetadata,
  directory: Directory,
): Promise<void> {
  const x = rational(await loadTag<unknown>(directory, "XResolution"));
  const y = rational(await loadTag<unknown>(directory, "YResolution"));
  const unitCode = (await loadTag<number>(directory, "ResolutionUnit")) ?? 2;
  const unit = unitCode === 1 ? "none" : unitCode === 3 ? "centimeter" : "inch";
  if (x && y) {
    metadata.resolution = {
      x: x.numerator / x.denominator,
      y: y.numerator / y.denominator,
      unit,
    };
  }
  const imagej = metadata.imagej;
  // Without a unit (ResolutionUnit none) the resolution is a pixel size only in
  // ImageJ files (whose description may name the unit); tifffile writes 1/1
  // "none" as a placeholder elsewhere.
  if (
    x && y && x.numerator > 0 && y.numerator > 0 && (unit !== "none" || imagej)
  ) {
    // Size per pixel as denominator / numerator, one rounding: 25/31 pixels per unit reads back as 1.24.
    metadata.physicalSizes.X = x.denominator / x.numerator;
    metadata.physicalSizes.Y = y.denominator / y.numerator;
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

function rational(
  value: unknown,
): { numerator: number; denominator: number } | undefined {
  if (typeof value === "number") return { numerator: value, denominator: 1 };
  if (
    value && typeof value === "object" && "length" in value &&
    (value as ArrayLike<number>).length >= 2
  ) {
    const pair = value as ArrayLike<number>;
    return { numerator: Number(pair[0]), denominator: Number(pair[1]) };
  }
  return undefined;
}
