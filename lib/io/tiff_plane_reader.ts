/**
 * Reads chosen planes of a multi-page TIFF through a file handle, without
 * holding the whole file in memory.
 *
 * @module
 */

import { type NdArray, ndarray } from "../deps.ts";
import { argumentError } from "../_errors.ts";
import type { DType, NumericArray } from "../array/types.ts";
import { type Fail, fileSource } from "./_byte_source.ts";
import { checkFilePath, checkOptionsObject, readError } from "./_io_checks.ts";
import { compressionName, UNCOMPRESSED } from "./_tiff_codes.ts";
import {
  isImageJDescription,
  parseImageJDescription,
} from "./_tiff_descriptions.ts";
import { textOf } from "./_tiff_directory.ts";
import { decodePages } from "./_tiff_page_decoder.ts";
import { readTiffPages } from "./_tiff_page_layout.ts";
import { TAG } from "./_tiff_tags.ts";

const FN = "openTiffPlanes";

/** Options of {@linkcode openTiffPlanes}. */
export interface OpenTiffPlanesOptions {
  /**
   * The channel to read from an ImageJ hyperstack with `channels > 1` (pages
   * interleave channels fastest); required there, must be 0 (the default)
   * otherwise.
   */
  channel?: number;
}

/** A multi-page TIFF opened for reading planes on demand; see {@linkcode openTiffPlanes}. */
export interface TiffPlaneReader {
  /** `[planes, height, width]`. */
  readonly shape: [number, number, number];
  /** The sample type of the pages. */
  readonly dtype: DType;
  /** Always "ZYX": planes are the pages (of the chosen channel). */
  readonly axes: "ZYX";
  /** Reads planes `start … start + count - 1` into a new `[count, height, width]` ndarray. */
  readPlanes(start: number, count: number): Promise<NdArray<NumericArray>>;
  /** Closes the file handle; the reader cannot be used afterwards. */
  close(): void;
}

/**
 * Opens a multi-page TIFF (classic or BigTIFF, either byte order) for reading
 * planes on demand: only the header and the image file directories (IFDs) are
 * read at open, in small ranges; `readPlanes` then reads just the strips of
 * the requested pages with `seek` and `read`. Memory is the requested planes
 * plus a few numbers per page, whatever the file's size: the reader for
 * volumes larger than memory, where `readTiff` holds the whole file.
 *
 * Pages must be uncompressed strips of one sample per pixel, all the same
 * size and sample type (the layout ImageJ and tifffile write by default).
 * Compressed or tiled files fail with an error naming the compression and
 * suggesting `readTiff`. An ImageJ hyperstack with several channels needs
 * `options.channel`; its other axes (slices, frames) are read as planes in
 * page order.
 *
 * Needs `--allow-read`. Close the reader when done.
 *
 * @param path File path or `file:` URL.
 * @param options `channel` of an ImageJ hyperstack.
 * @returns The reader: shape, dtype, `readPlanes(start, count)`, `close()`.
 *
 * @example Read two planes of a five-plane stack
 * ```ts
 * import { ndarray } from "../deps.ts";
 * import { writeTiff } from "./write_tiff.ts";
 * import { openTiffPlanes } from "./tiff_plane_reader.ts";
 *
 * const folder = await Deno.makeTempDir();
 * const stack = ndarray(new Uint16Array(5 * 3 * 4).map((_, i) => i), [5, 3, 4]);
 * await writeTiff(`${folder}/stack.tif`, stack, { axes: "ZYX" });
 * const reader = await openTiffPlanes(`${folder}/stack.tif`);
 * const planes = await reader.readPlanes(2, 2);
 * reader.close();
 * if (
 *   reader.shape.join() !== "5,3,4" || planes.shape.join() !== "2,3,4" ||
 *   planes.get(0, 0, 0) !== 24
 * ) throw new Error("wrong planes");
 * console.log(reader.shape, planes.shape, planes.get(0, 0, 0)); // [5, 3, 4] [2, 3, 4] 24
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function openTiffPlanes(
  path: string | URL,
  options: OpenTiffPlanesOptions = {},
): Promise<TiffPlaneReader> {
  checkFilePath(FN, path);
  checkOptionsObject(FN, options, "{ channel }");
  const channel = options.channel;
  if (channel !== undefined && (!Number.isInteger(channel) || channel < 0)) {
    throw argumentError(FN, "options.channel", channel, "an integer >= 0");
  }
  const name = path instanceof URL ? path.href : path;
  const fail = (message: string) => new Error(`${FN}: ${name}: ${message}`);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    throw readError(FN, name, error);
  }
  try {
    return await openReader(file, channel, fail);
  } catch (error) {
    file.close();
    throw error;
  }
}

async function openReader(
  file: Deno.FsFile,
  chosenChannel: number | undefined,
  fail: Fail,
): Promise<TiffPlaneReader> {
  const source = fileSource(file, (await file.stat()).size, fail);
  const { littleEndian, pages, layouts } = await readTiffPages(source, fail);
  const unstreamable = layouts.find((layout) =>
    layout.compression !== UNCOMPRESSED || layout.tiled
  );
  if (unstreamable !== undefined) {
    const kind = unstreamable.compression !== UNCOMPRESSED
      ? `${compressionName(unstreamable.compression)}-compressed`
      : "tiled";
    throw fail(
      `${kind} pages cannot be read plane by plane; expected uncompressed strips (use readTiff, which reads the whole file)`,
    );
  }
  const { samplesPerPixel, height, width, dtype } = layouts[0];
  if (samplesPerPixel !== 1) {
    throw fail(`expected 1 sample per pixel, found ${samplesPerPixel}`);
  }

  const description = textOf(pages[0], TAG.ImageDescription);
  let channels = 1;
  if (isImageJDescription(description)) {
    const value = parseImageJDescription(description).channels;
    if (typeof value === "number" && Number.isInteger(value) && value > 1) {
      channels = value;
    }
  }
  if (channels > 1 && chosenChannel === undefined) {
    throw fail(
      `the file has ${channels} channels: choose one with options.channel`,
    );
  }
  const channel = chosenChannel ?? 0;
  if (channel >= channels || pages.length % channels !== 0) {
    throw fail(
      channels > 1
        ? `options.channel must be an integer in 0..${
          channels - 1
        } for this ${channels}-channel hyperstack of ${pages.length} pages, got ${channel}`
        : `options.channel must be 0 for a single-channel file, got ${channel}`,
    );
  }
  const planeCount = pages.length / channels;
  let closed = false;

  return {
    shape: [planeCount, height, width],
    dtype,
    axes: "ZYX",
    async readPlanes(start: number, count: number) {
      if (closed) throw new Error(`${FN}: readPlanes: the reader is closed`);
      if (
        !Number.isInteger(start) || !Number.isInteger(count) || start < 0 ||
        count < 0 || start + count > planeCount
      ) {
        throw argumentError(
          "readPlanes",
          "start, count",
          [start, count],
          `integers with 0 <= start and start + count <= ${planeCount}`,
        );
      }
      const pageIndices = Array.from(
        { length: count },
        (_, plane) => (start + plane) * channels + channel,
      );
      const values = await decodePages(
        source,
        littleEndian,
        layouts,
        pageIndices,
        fail,
      );
      return ndarray(values, [count, height, width]);
    },
    close() {
      if (!closed) file.close();
      closed = true;
    },
  };
}
