/**
 * What one TIFF page's directory says about its pixels and where they are:
 * size, sample type, compression, predictor and the strips or tiles holding
 * them, checked once for `readTiff` and `openTiffPlanes` alike.
 *
 * @module
 */

import type { DType } from "../array/types.ts";
import type { ByteSource, Fail } from "./_byte_source.ts";
import {
  compressionName,
  dtypeOfSamples,
  type SampleFormat,
  sampleFormatOf,
  UNCOMPRESSED,
} from "./_tiff_codes.ts";
import {
  canDecompress,
  DECOMPRESSIBLE,
  maxExpansion,
} from "./_tiff_decompress.ts";
import {
  numberOf,
  numbersOf,
  readTiffDirectories,
  type TiffDirectories,
  type TiffDirectory,
} from "./_tiff_directory.ts";
import { canUndoPredictor } from "./_tiff_predictor.ts";
import { TAG } from "./_tiff_tags.ts";

/** A page's pixels and the blocks (strips or tiles) that hold them. */
export interface PageLayout {
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: number;
  sampleFormat: SampleFormat;
  dtype: DType;
  /** Samples stored as separate planes (PlanarConfiguration 2). */
  planar: boolean;
  compression: number;
  predictor: number;
  tiled: boolean;
  /** Pixels per block row: the page width for strips. */
  blockWidth: number;
  /** Rows per block: RowsPerStrip (at most the height) for strips. */
  blockHeight: number;
  offsets: readonly number[];
  byteCounts: readonly number[];
}

/** A file's directories and the layout of each page, all of the same pixels. */
export interface TiffPages extends TiffDirectories {
  layouts: PageLayout[];
}

/**
 * Reads the directories of `source` and every page's layout, checking that
 * all pages have page 0's pixels; the start of both `readTiff` and
 * `openTiffPlanes`.
 */
export async function readTiffPages(
  source: ByteSource,
  fail: Fail,
): Promise<TiffPages> {
  const file = await readTiffDirectories(source, fail);
  const layouts = file.pages.map((page, index) =>
    pageLayout(page, index, source.size, fail)
  );
  checkSamePixels(layouts, fail);
  return { ...file, layouts };
}

/** Reads and checks the layout of page `index`; throws what is missing or unsupported. */
function pageLayout(
  directory: TiffDirectory,
  index: number,
  fileSize: number,
  fail: Fail,
): PageLayout {
  const required = (tag: keyof typeof TAG): number => {
    const value = numberOf(directory, TAG[tag]);
    if (value === undefined) throw fail(`page ${index} lacks the ${tag} tag`);
    return value;
  };
  const positive = (tag: keyof typeof TAG, value: number): number => {
    if (value < 1) {
      throw fail(
        `page ${index}: expected ${tag} to be at least 1, found ${value}`,
      );
    }
    return value;
  };
  // TIFF 6.0, section 15: tiles are a multiple of 16 pixels on each side.
  const tileSide = (tag: "TileWidth" | "TileLength"): number => {
    const value = required(tag);
    if (value < 16 || value % 16 !== 0) {
      throw fail(
        `page ${index}: expected ${tag} to be a multiple of 16 (TIFF 6.0, section 15), found ${value}`,
      );
    }
    return value;
  };
  const width = positive("ImageWidth", required("ImageWidth"));
  const height = positive("ImageLength", required("ImageLength"));
  const samplesPerPixel = positive(
    "SamplesPerPixel",
    numberOf(directory, TAG.SamplesPerPixel) ?? 1,
  );
  const bits = new Set(numbersOf(directory, TAG.BitsPerSample) ?? [1]);
  const formats = new Set(numbersOf(directory, TAG.SampleFormat) ?? [1]);
  if (bits.size !== 1 || formats.size !== 1) {
    throw fail(
      `page ${index}: expected one sample type for all samples, found bits ${[
        ...bits,
      ]} formats ${[...formats]}`,
    );
  }
  const [bitsPerSample] = bits;
  const [formatCode] = formats;
  const sampleFormat = sampleFormatOf(formatCode);
  const dtype = sampleFormat && dtypeOfSamples(sampleFormat, bitsPerSample);
  if (sampleFormat === undefined || dtype === undefined) {
    throw fail(
      `page ${index}: unsupported samples: expected 8, 16 or 32-bit integers or 32 or 64-bit floats, ` +
        `found ${bitsPerSample}-bit SampleFormat ${formatCode}`,
    );
  }
  const compression = numberOf(directory, TAG.Compression) ?? UNCOMPRESSED;
  if (compression !== UNCOMPRESSED && !canDecompress(compression)) {
    throw fail(
      `page ${index}: unsupported compression ${
        compressionName(compression)
      } (${compression}); expected none, ${DECOMPRESSIBLE.join(", ")}`,
    );
  }
  const predictor = numberOf(directory, TAG.Predictor) ?? 1;
  if (!canUndoPredictor(predictor, bitsPerSample, sampleFormat === "float")) {
    throw fail(
      `page ${index}: unsupported Predictor ${predictor} for ${dtype} samples; expected 1, 2 (integers up to 32 bits) or 3 (floats)`,
    );
  }
  const planar = samplesPerPixel > 1 &&
    numberOf(directory, TAG.PlanarConfiguration) === 2;
  const tiled = directory.has(TAG.TileWidth);
  const kind = tiled ? "tile" : "strip";
  const blockWidth = tiled ? tileSide("TileWidth") : width;
  // RowsPerStrip 0, like no RowsPerStrip, is one strip for the whole page, as libtiff and tifffile read it.
  const blockHeight = tiled
    ? tileSide("TileLength")
    : Math.min(numberOf(directory, TAG.RowsPerStrip) || height, height);
  const offsets = numbersOf(
    directory,
    tiled ? TAG.TileOffsets : TAG.StripOffsets,
  );
  const byteCounts = numbersOf(
    directory,
    tiled ? TAG.TileByteCounts : TAG.StripByteCounts,
  );
  if (
    offsets === undefined || byteCounts === undefined ||
    offsets.length !== byteCounts.length
  ) {
    throw fail(
      `corrupt page ${index}: expected matching ${kind} offsets and byte counts, found ` +
        `${offsets?.length ?? "no"} offsets and ${
          byteCounts?.length ?? "no"
        } byte counts`,
    );
  }
  const expected = (planar ? samplesPerPixel : 1) *
    Math.ceil(width / blockWidth) * Math.ceil(height / blockHeight);
  if (offsets.length !== expected) {
    const size = tiled
      ? `tiles of ${blockWidth}x${blockHeight}`
      : `strips of ${blockHeight} rows`;
    throw fail(
      `corrupt page ${index}: expected ${expected} ${size}, found ${offsets.length}`,
    );
  }
  // Before anything is allocated: no page or block may decode to more bytes
  // than its stored bytes (at most the file's) could at the compression's best ratio.
  const ratio = maxExpansion(compression);
  let storedBytes = 0;
  let largestBlock = 0;
  for (const byteCount of byteCounts) {
    storedBytes += byteCount;
    largestBlock = Math.max(largestBlock, byteCount);
  }
  const pixelBytes = (planar ? 1 : samplesPerPixel) * bitsPerSample / 8;
  const claims = [
    [
      `page ${index}`,
      width * height * samplesPerPixel * bitsPerSample / 8,
      storedBytes,
      `its ${kind}s`,
    ],
    [
      `a ${blockWidth}x${blockHeight} ${kind} of page ${index}`,
      blockWidth * blockHeight * pixelBytes,
      largestBlock,
      `its largest ${kind}`,
    ],
  ] as const;
  for (const [what, decodedBytes, stored, holder] of claims) {
    const held = Math.min(stored, fileSize);
    if (decodedBytes > ratio * held) {
      throw fail(
        `${what} claims ${decodedBytes} bytes of ${dtype} samples, more than the ${held} bytes of ${holder} can hold ${
          compression === UNCOMPRESSED
            ? "uncompressed"
            : `at ${compressionName(compression)}'s best ratio of ${ratio}:1`
        }`,
      );
    }
  }
  return {
    width,
    height,
    samplesPerPixel,
    bitsPerSample,
    sampleFormat,
    dtype,
    planar,
    compression,
    predictor,
    tiled,
    blockWidth,
    blockHeight,
    offsets,
    byteCounts,
  };
}

/** Throws unless every page has the pixels of page 0: size, samples and their type, planar layout. */
function checkSamePixels(layouts: PageLayout[], fail: Fail): void {
  const first = layouts[0];
  layouts.forEach((layout, index) => {
    const same = layout.width === first.width &&
      layout.height === first.height &&
      layout.samplesPerPixel === first.samplesPerPixel &&
      layout.dtype === first.dtype && layout.planar === first.planar;
    if (!same) {
      throw fail(
        `inconsistent pages: expected every page to be ${
          describePixels(first)
        } like page 0, page ${index} is ${describePixels(layout)}`,
      );
    }
  });
}

function describePixels(layout: PageLayout): string {
  const samples = layout.samplesPerPixel === 1
    ? ""
    : ` x ${layout.samplesPerPixel} ${
      layout.planar ? "planar" : "interleaved"
    } samples`;
  return `${layout.width}x${layout.height}${samples} of ${layout.dtype}`;
}
