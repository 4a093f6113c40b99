/**
 * Reads chosen planes of a multi-page TIFF through a file handle, without
 * holding the whole file in memory.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { checkFilePath } from "./_file_path.ts";
import { swapBytes } from "./_uncompressed_strips.ts";
import { type NdArray, ndarray } from "../deps.ts";
import type { DType, NumericArray } from "../array/types.ts";
import { ARRAY_TYPES } from "../array/_strided.ts";
import {
  isImageJDescription,
  parseImageJDescription,
} from "./_tiff_descriptions.ts";

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

const COMPRESSION_NAMES: Record<number, string> = {
  5: "LZW",
  7: "JPEG",
  8: "deflate",
  32773: "PackBits",
  32946: "deflate",
  50000: "zstd",
};

/** Bytes per value of each TIFF field type. */
const TYPE_BYTES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  16: 8,
  17: 8,
};

/** The tags of one page this reader needs, by tag number. */
type Tags = Map<number, number[] | string>;

interface Page {
  stripOffsets: number[];
  stripByteCounts: number[];
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
 * console.log(reader.shape, planes.shape, planes.get(0, 0, 0)); // [5, 3, 4] [2, 3, 4] 24
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function openTiffPlanes(
  path: string | URL,
  options: OpenTiffPlanesOptions = {},
): Promise<TiffPlaneReader> {
  checkFilePath(FN, path);
  if (typeof options !== "object" || options === null) {
    throw argumentError(
      FN,
      "options",
      options,
      "an object such as { channel }",
    );
  }
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
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${FN}: ${name}: no such file`, { cause: error });
    }
    throw new Error(
      `${FN}: ${name}: cannot be read (${(error as Error).message})`,
      { cause: error },
    );
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
  fail: (message: string) => Error,
): Promise<TiffPlaneReader> {
  const size = (await file.stat()).size;
  const readAt = async (at: number, length: number): Promise<DataView> => {
    if (at + length > size) {
      throw fail(
        `the file is truncated: expected bytes ${at}..${
          at + length
        } but the file has ${size} bytes`,
      );
    }
    const bytes = new Uint8Array(length);
    await file.seek(at, Deno.SeekMode.Start);
    for (let done = 0; done < length;) {
      const read = await file.read(bytes.subarray(done));
      if (read === null) {
        throw fail(`unexpected end of file at byte ${at + done}`);
      }
      done += read;
    }
    return new DataView(bytes.buffer);
  };

  if (size < 8) {
    throw fail(`the file is ${size} bytes long; expected a TIFF file`);
  }
  const header = await readAt(0, Math.min(16, size));
  const mark = String.fromCharCode(header.getUint8(0), header.getUint8(1));
  if (mark !== "II" && mark !== "MM") {
    throw fail(`not a TIFF file: expected "II" or "MM" at byte 0`);
  }
  const little = mark === "II";
  const version = header.getUint16(2, little);
  if (version !== 42 && version !== 43) {
    throw fail(`not a TIFF file: expected version 42 or 43, found ${version}`);
  }
  const big = version === 43;
  const word = (view: DataView, at: number) =>
    big ? Number(view.getBigUint64(at, little)) : view.getUint32(at, little);
  const entryBytes = big ? 20 : 12;
  const inlineBytes = big ? 8 : 4;

  const pages: Tags[] = [];
  const seen = new Set<number>();
  let ifd = big ? word(await readAt(8, 8), 0) : header.getUint32(4, little);
  while (ifd !== 0) {
    if (seen.has(ifd)) {
      throw fail(`corrupt file: the IFD chain loops at ${ifd}`);
    }
    seen.add(ifd);
    const countView = await readAt(ifd, big ? 8 : 2);
    const count = big ? word(countView, 0) : countView.getUint16(0, little);
    const start = ifd + (big ? 8 : 2);
    const entries = await readAt(start, count * entryBytes + inlineBytes);
    const tags: Tags = new Map();
    for (let i = 0; i < count; i++) {
      const at = i * entryBytes;
      const tag = entries.getUint16(at, little);
      if (
        ![256, 257, 258, 259, 270, 273, 277, 278, 279, 322, 339].includes(tag)
      ) {
        continue;
      }
      const type = entries.getUint16(at + 2, little);
      const n = word(entries, at + 4);
      const bytes = (TYPE_BYTES[type] ?? 1) * n;
      const valueAt = at + (big ? 12 : 8);
      const values = bytes <= inlineBytes
        ? new DataView(entries.buffer, valueAt, inlineBytes)
        : await readAt(word(entries, valueAt), bytes);
      tags.set(tag, decodeValues(values, type, n, little));
    }
    pages.push(tags);
    ifd = word(entries, count * entryBytes);
  }
  if (pages.length === 0) throw fail("the file holds no image");

  const number = (tags: Tags, tag: number, fallback?: number): number => {
    const value = tags.get(tag);
    if (Array.isArray(value) && value.length > 0) return value[0];
    if (fallback !== undefined) return fallback;
    throw fail(`page 0 lacks TIFF tag ${tag}`);
  };
  const first = pages[0];
  const compression = number(first, 259, 1);
  if (compression !== 1) {
    throw fail(
      `${
        COMPRESSION_NAMES[compression] ?? `compression ${compression}`
      }-compressed pages cannot be read plane by plane; expected uncompressed strips (use readTiff, which reads the whole file)`,
    );
  }
  if (first.has(322)) {
    throw fail(
      "tiled pages cannot be read plane by plane; expected uncompressed strips (use readTiff, which reads the whole file)",
    );
  }
  const samples = number(first, 277, 1);
  if (samples !== 1) {
    throw fail(`expected 1 sample per pixel, found ${samples}`);
  }
  const width = number(first, 256);
  const height = number(first, 257);
  const bits = number(first, 258, 1);
  const format = number(first, 339, 1);
  const typeName = `${
    format === 1 ? "uint" : format === 2 ? "int" : format === 3 ? "float" : "?"
  }${bits}`;
  const dtype = typeName in ARRAY_TYPES ? typeName as DType : undefined;
  if (dtype === undefined) {
    throw fail(
      `unsupported samples: ${bits}-bit SampleFormat ${format}; expected 8/16/32-bit integers or 32/64-bit floats`,
    );
  }
  const rowsPerStrip = Math.min(number(first, 278, height), height);
  const stripsPerPage = Math.ceil(height / rowsPerStrip);
  const layout: Page[] = pages.map((tags, index) => {
    const same = number(tags, 256) === width && number(tags, 257) === height &&
      number(tags, 258, 1) === bits && number(tags, 339, 1) === format &&
      number(tags, 259, 1) === 1 && number(tags, 277, 1) === 1 &&
      Math.min(number(tags, 278, height), height) === rowsPerStrip;
    const offsets = tags.get(273);
    const counts = tags.get(279);
    if (
      !same || !Array.isArray(offsets) || !Array.isArray(counts) ||
      offsets.length !== stripsPerPage || counts.length !== stripsPerPage
    ) {
      throw fail(
        `inconsistent page ${index}: expected ${width}x${height} ${typeName} in ${stripsPerPage} uncompressed strips like page 0`,
      );
    }
    return { stripOffsets: offsets, stripByteCounts: counts };
  });

  const description = first.get(270);
  let channels = 1;
  if (typeof description === "string" && isImageJDescription(description)) {
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
  const bytesPerSample = bits / 8;
  const rowBytes = width * bytesPerSample;
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
      const values = new ARRAY_TYPES[dtype](count * width * height);
      const target = new Uint8Array(values.buffer);
      for (let plane = 0; plane < count; plane++) {
        const pageIndex = (start + plane) * channels + channel;
        const page = layout[pageIndex];
        for (let strip = 0; strip < stripsPerPage; strip++) {
          const rows = Math.min(rowsPerStrip, height - strip * rowsPerStrip);
          const bytes = rows * rowBytes;
          if (page.stripByteCounts[strip] < bytes) {
            throw fail(
              `corrupt page ${pageIndex}: strip ${strip} holds ${
                page.stripByteCounts[strip]
              } bytes, expected ${bytes}`,
            );
          }
          const at = page.stripOffsets[strip];
          if (at + bytes > size) {
            throw fail(
              `the file is truncated: page ${pageIndex} strip ${strip} spans bytes ${at}..${
                at + bytes
              } but the file has ${size} bytes`,
            );
          }
          const into = target.subarray(
            plane * height * rowBytes + strip * rowsPerStrip * rowBytes,
          ).subarray(0, bytes);
          await file.seek(at, Deno.SeekMode.Start);
          for (let done = 0; done < bytes;) {
            const read = await file.read(into.subarray(done));
            if (read === null) {
              throw fail(`unexpected end of file at ${at + done}`);
            }
            done += read;
          }
        }
      }
      if (!little && bytesPerSample > 1) swapBytes(target, bytesPerSample);
      return ndarray(values, [count, height, width]);
    },
    close() {
      if (!closed) file.close();
      closed = true;
    },
  };
}

function decodeValues(
  view: DataView,
  type: number,
  count: number,
  little: boolean,
): number[] | string {
  if (type === 2) {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, count);
    return new TextDecoder().decode(bytes).replace(/\0+$/, "");
  }
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    values.push(
      type === 3
        ? view.getUint16(2 * i, little)
        : type === 4
        ? view.getUint32(4 * i, little)
        : type === 16
        ? Number(view.getBigUint64(8 * i, little))
        : view.getUint8(i),
    );
  }
  return values;
}
