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
import { checkOptionsObject } from "../_options_object.ts";
import { checkBox, checkFilePath, readError } from "./_io_checks.ts";
import { ARRAY_TYPES, copyToContiguous } from "../array/_strided.ts";
import {
  type FileLayout,
  fileLayout,
  type PhysicalSizes,
  physicalSizesOf,
} from "./_tiff_axes.ts";
import { decodePages } from "./_tiff_page_decoder.ts";
import { readTiffPages } from "./_tiff_page_layout.ts";
import type { TiffMetadata } from "./read_tiff.ts";

const FN = "openTiffPlanes";

/** Options of {@linkcode openTiffPlanes}. */
export interface OpenTiffPlanesOptions {
  /**
   * The channel to read from a file with several: an ImageJ hyperstack with
   * `channels > 1` (pages interleave channels fastest) or a tifffile file
   * whose JSON description names a C axis; required there, must be 0 (the
   * default) otherwise.
   */
  channel?: number;
}

/**
 * Planes of one channel of a volume, read on demand: what the chunked paths
 * take, whatever the file format (`openTiffPlanes`, `openOmeZarrPlanes`).
 */
export interface PlaneSource {
  /** `[planes, height, width]`. */
  readonly shape: [number, number, number];
  /** The sample type of the planes. */
  readonly dtype: DType;
  /** Always "ZYX": planes of the chosen channel (and time point). */
  readonly axes: "ZYX";
  /** The voxel size (X, Y, Z, T where the file says), as the format's reader gives it in `metadata.physicalSizes`. */
  readonly physicalSizes: TiffMetadata["physicalSizes"];
  /** The unit of the X, Y and Z sizes. */
  readonly physicalUnit?: string;
  /** Reads planes `start … start + count - 1` into a new `[count, height, width]` ndarray. */
  readPlanes(start: number, count: number): Promise<NdArray<NumericArray>>;
  /**
   * Reads the box of planes, rows and columns `[first, end)` each into a new
   * ndarray of its size, reading only the stored chunks, strips or tiles it
   * overlaps (a TIFF's pages one at a time); absent from readers that can
   * only read whole planes.
   */
  readBox?(
    planes: readonly [number, number],
    rows: readonly [number, number],
    columns: readonly [number, number],
  ): Promise<NdArray<NumericArray>>;
}

/** A multi-page TIFF opened for reading planes on demand; see {@linkcode openTiffPlanes}. */
export interface TiffPlaneReader extends PlaneSource {
  /** Reads a box of planes, rows and columns `[first, end)`: of each page, only the strips or tiles it overlaps. */
  readBox(
    planes: readonly [number, number],
    rows: readonly [number, number],
    columns: readonly [number, number],
  ): Promise<NdArray<NumericArray>>;
  /** Closes the file handle; the reader cannot be used afterwards. */
  close(): void;
}

/**
 * Opens a multi-page TIFF (classic or BigTIFF, either byte order) for reading
 * planes on demand: only the header and the image file directories (IFDs) are
 * read at open, in small ranges; `readPlanes` then reads just the strips or
 * tiles of the requested pages with `seek` and `read`, one at a time, and
 * decodes each into place with `readTiff`'s decoder: uncompressed, deflate,
 * zstd, LZW and PackBits, with or without a predictor, strips or tiles,
 * either byte order. Memory is bounded whatever the file's size: the
 * requested planes, one strip or tile's stored bytes and their decompressed
 * copy (at most one page's, the usual single-strip compressed page), and a
 * few numbers per page: the reader for volumes larger than memory, where
 * `readTiff` holds the whole file.
 *
 * Pages must have one sample per pixel and all the same size and sample
 * type (8, 16, 32-bit integers, 32 or 64-bit floats); a page that differs
 * fails with an error naming the file, the page and what was found. The
 * file's axes are `readTiff`'s (OME-XML, ImageJ hyperstack, tifffile JSON
 * description, else pages as planes). A file with a C axis needs
 * `options.channel`; its other axes (slices, frames) are read as planes, in
 * C order of the axes (an OME-TIFF's planes in its DimensionOrder, wherever
 * its TiffData puts them).
 *
 * Needs `--allow-read`. Close the reader when done.
 *
 * @param path File path or `file:` URL.
 * @param options `channel` of an ImageJ hyperstack.
 * @returns The reader: shape, dtype, voxel size, `readPlanes(start, count)`, `readBox(planes, rows, columns)`, `close()`.
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
 * const box = await reader.readBox([2, 4], [1, 3], [2, 4]);
 * reader.close();
 * if (
 *   reader.shape.join() !== "5,3,4" || planes.shape.join() !== "2,3,4" ||
 *   planes.get(0, 0, 0) !== 24
 * ) throw new Error("wrong planes");
 * console.log(reader.shape, planes.shape, planes.get(0, 0, 0)); // [5, 3, 4] [2, 3, 4] 24
 * console.log(box.shape, box.get(0, 0, 0)); // [2, 2, 2] 30
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function openTiffPlanes(
  path: string | URL,
  options: OpenTiffPlanesOptions = {},
): Promise<TiffPlaneReader> {
  checkFilePath(FN, path);
  checkOptionsObject(FN, options, ["channel"]);
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
  // readTiffPages checked that every page has page 0's pixels.
  const { samplesPerPixel, planar, height, width, dtype } = layouts[0];
  if (samplesPerPixel !== 1) {
    throw fail(
      `page 0 has ${samplesPerPixel} ${
        planar ? "planar" : "interleaved"
      } samples per pixel; expected 1 (grayscale planes): read it with readTiff`,
    );
  }

  const layout = fileLayout(pages, layouts, fail);
  const { channels, planePages } = channelPages(layout, height, width, fail);
  if (channels > 1 && chosenChannel === undefined) {
    throw fail(
      `the file has ${channels} channels (axes ${layout.axes}): choose one with options.channel`,
    );
  }
  const channel = chosenChannel ?? 0;
  if (channel >= channels) {
    throw fail(
      channels > 1
        ? `options.channel must be an integer in 0..${
          channels - 1
        } for this ${channels}-channel file, got ${channel}`
        : `options.channel must be 0 for a single-channel file, got ${channel}`,
    );
  }
  const pagesOfChannel = planePages(channel);
  const planeCount = pagesOfChannel.length;
  let closed = false;

  return {
    shape: [planeCount, height, width],
    dtype,
    axes: "ZYX",
    ...voxelSize(physicalSizesOf(pages[0], layout)),
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
      const pageIndices = pagesOfChannel.slice(start, start + count);
      const values = await decodePages(
        source,
        littleEndian,
        layouts,
        pageIndices,
        fail,
      );
      return ndarray(values, [count, height, width]);
    },
    async readBox(planes, rows, columns) {
      if (closed) throw new Error(`${FN}: readBox: the reader is closed`);
      checkBox([planeCount, height, width], [planes, rows, columns]);
      const shape = [
        planes[1] - planes[0],
        rows[1] - rows[0],
        columns[1] - columns[0],
      ];
      const boxPlane = shape[1] * shape[2];
      const values = new ARRAY_TYPES[dtype](shape[0] * boxPlane);
      for (let z = planes[0]; z < planes[1]; z++) {
        // One page at a time, only its strips or tiles that the box overlaps.
        const page = await decodePages(
          source,
          littleEndian,
          layouts,
          [pagesOfChannel[z]],
          fail,
          { rows, columns },
        );
        const at = (z - planes[0]) * boxPlane;
        copyToContiguous(
          ndarray(page, [height, width]).hi(rows[1], columns[1]).lo(
            rows[0],
            columns[0],
          ),
          values.subarray(at, at + boxPlane),
        );
      }
      return ndarray(values, shape);
    },
    close() {
      if (!closed) file.close();
      closed = true;
    },
  };
}

/**
 * The channels of a file's layout (its C axis, or 1) and, for each, the pages
 * of its planes in order: every axis before YX but C is read as planes, in C
 * order. Axes that do not end in YX with a C axis among them are refused:
 * channels are never guessed.
 */
function channelPages(
  layout: FileLayout,
  height: number,
  width: number,
  fail: Fail,
): { channels: number; planePages: (channel: number) => number[] } {
  const { axes, shape, pageIndices } = layout;
  const at = axes.indexOf("C");
  if (at < 0) return { channels: 1, planePages: () => pageIndices };
  if (
    !axes.endsWith("YX") || at >= axes.length - 2 ||
    shape.at(-2) !== height || shape.at(-1) !== width
  ) {
    throw fail(
      `the file's axes are ${axes} with shape [${
        shape.join(", ")
      }]; expected axes ending in YX over pages of ${height} x ${width} to tell the channels apart`,
    );
  }
  const channels = shape[at];
  const stride = shape.slice(at + 1, -2).reduce((a, b) => a * b, 1);
  return {
    channels,
    planePages: (channel) =>
      pageIndices.filter((_, plane) =>
        Math.floor(plane / stride) % channels === channel
      ),
  };
}

/** The voxel size and unit of a plane reader (`readTiff`'s metadata fields). */
function voxelSize(
  { physicalSizes, physicalUnit }: PhysicalSizes,
): Pick<TiffMetadata, "physicalSizes" | "physicalUnit"> {
  return physicalUnit === undefined
    ? { physicalSizes }
    : { physicalSizes, physicalUnit };
}
