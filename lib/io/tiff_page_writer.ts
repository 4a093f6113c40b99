/**
 * Writes a multi-page TIFF (ImageJ hyperstack or OME-TIFF) one page at a
 * time, so that a volume larger than memory can be written as it is computed.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { openAtomicFile } from "../_atomic_write.ts";
import { ARRAY_TYPES } from "../array/_strided.ts";
import { checkOptionsObject } from "../_options_object.ts";
import { checkFilePath } from "./_io_checks.ts";
import { imageJDescription } from "./_tiff_descriptions.ts";
import { omePagesDescription } from "./_ome_xml.ts";
import {
  checkChannelNames,
  checkClassicTiffSize,
  encodeDescription,
  encodeHeader,
  encodeIfdChain,
  even,
  omeUnit,
  pageBytes,
  physicalSizeFields,
  type WrittenPages,
} from "./_tiff_ifd_writer.ts";
import type { WriteTiffMetadata } from "./encode_tiff_options.ts";

const FN = "createTiffPageWriter";
/** Pages start at this offset: the 8-byte header, padded to 16 bytes. */
const DATA_START = 16;

/** Sample types {@linkcode createTiffPageWriter} writes. */
export type TiffPageDType = "uint16" | "float32" | "float64";

const PAGE_DTYPES: readonly TiffPageDType[] = ["uint16", "float32", "float64"];

/** Options of {@linkcode createTiffPageWriter}. */
export interface TiffPageWriterOptions {
  /** Page height (Y), in pixels. */
  height: number;
  /** Page width (X), in pixels. */
  width: number;
  /** Sample type of every page. */
  dtype: TiffPageDType;
  /**
   * Channels per plane (default 1): pages are written channel fastest, and
   * the file reads back as ZCYX (ZYX for 1 channel).
   */
  channels?: number;
  /**
   * Write an OME-TIFF (OME-XML 2016-06 description, as `writeTiff`'s with
   * `ome: true`) instead of an ImageJ hyperstack (default false).
   */
  ome?: boolean;
  /**
   * Voxel size, unit and channel names, as for `writeTiff` (`readTiff`'s
   * `metadata` can be passed back). ImageJ: X and Y in the resolution tags,
   * Z as `spacing`, T as `finterval`, the unit as `unit`, no channel names.
   * OME-TIFF: PhysicalSizeX/Y/Z in the unit (one of µm, the default, nm, pm,
   * Å, mm, cm, m), TimeIncrement, and one Channel Name per channel.
   */
  metadata?: WriteTiffMetadata;
}

/** A TIFF being written page by page; see {@linkcode createTiffPageWriter}. */
export interface TiffPageWriter {
  /** Appends one page: `height × width` values in C order. */
  writePage(values: Uint16Array | Float32Array | Float64Array): Promise<void>;
  /** Writes the directories and the description, then renames the file into place. */
  close(): Promise<void>;
  /** Removes the temporary file; the target is left untouched. */
  abort(): Promise<void>;
}

/**
 * Opens a little-endian, uncompressed TIFF for writing page by page: each
 * `writePage` appends the page's values to a temporary file in the target's
 * folder; `close` appends the description and one image file directory (IFD)
 * per page (the same tags as `writeTiff`), links the chain from the header,
 * and renames the temporary file over `path`, so the target is never seen
 * half-written. `abort`, or any error (a wrong page, a full disk), removes
 * the temporary file and leaves an existing target as it was; errors name
 * the path. Memory: one page at a time plus at most 16 tags per page at
 * `close`.
 *
 * Every file gets an ImageJ hyperstack description (`images`, `channels`,
 * `slices`, `hyperstack=true`, and `unit`, `spacing`, `finterval` from
 * `options.metadata`) and, with X and Y sizes, the resolution tags; with
 * `options.ome`, page 0's description is OME-XML instead (DimensionOrder
 * XYZCT for one channel, XYCZT for several; SizeZ the pages per channel;
 * PhysicalSizeX/Y/Z with their unit; the channel names; one TiffData of
 * every page) and there are no resolution tags. Both are written at `close`,
 * once the page count is known, by the same code as `writeTiff`'s, so
 * `readTiff`, `openTiffPlanes` and tifffile see axes ZYX or ZCYX and the
 * voxel size, float64 pages included. Files stay below
 * 4 GiB (classic TIFF); a larger one fails at the page that would cross it.
 * Pages start at byte 16, one after another, as ImageJ reads them.
 *
 * Needs `--allow-write` and `--allow-read` on the folder, which must exist.
 *
 * @param path Destination file path or `file:` URL.
 * @param options Page size, sample type, channels per plane, OME-TIFF or not, voxel size and channel names.
 * @returns The writer.
 *
 * @example Write two float32 planes, read them back
 * ```ts
 * import { createTiffPageWriter } from "./tiff_page_writer.ts";
 * import { readTiff } from "./read_tiff.ts";
 *
 * const folder = await Deno.makeTempDir();
 * const writer = await createTiffPageWriter(`${folder}/out.tif`, {
 *   height: 2,
 *   width: 3,
 *   dtype: "float32",
 *   metadata: { physicalSizes: { X: 0.5, Y: 0.5, Z: 2 }, physicalUnit: "µm" },
 * });
 * await writer.writePage(new Float32Array(6).fill(1.5));
 * await writer.writePage(new Float32Array(6).fill(2.5));
 * await writer.close();
 * const { data, axes, metadata } = await readTiff(`${folder}/out.tif`);
 * if (
 *   axes !== "ZYX" || data.shape.join() !== "2,2,3" || data.get(1, 0, 0) !== 2.5 ||
 *   metadata.physicalSizes.Z !== 2 || metadata.physicalUnit !== "µm"
 * ) throw new Error("wrong file");
 * console.log(axes, data.shape, metadata.physicalSizes); // "ZYX" [2, 2, 3] { X: 0.5, Y: 0.5, Z: 2 }
 * await Deno.remove(folder, { recursive: true });
 * ```
 *
 * @example Write an OME-TIFF of 2 named channels, plane by plane
 * ```ts
 * import { createTiffPageWriter } from "./tiff_page_writer.ts";
 * import { readTiff } from "./read_tiff.ts";
 *
 * const folder = await Deno.makeTempDir();
 * const writer = await createTiffPageWriter(`${folder}/out.ome.tif`, {
 *   height: 2,
 *   width: 3,
 *   dtype: "uint16",
 *   channels: 2,
 *   ome: true,
 *   metadata: {
 *     physicalSizes: { X: 200, Y: 200, Z: 500 },
 *     physicalUnit: "nm",
 *     channelNames: ["DAPI", "GFP"],
 *   },
 * });
 * for (let page = 0; page < 6; page++) { // 3 planes of 2 channels, channel fastest
 *   await writer.writePage(new Uint16Array(6).fill(page));
 * }
 * await writer.close();
 * const { data, axes, metadata } = await readTiff(`${folder}/out.ome.tif`);
 * if (
 *   axes !== "ZCYX" || data.shape.join() !== "3,2,2,3" || data.get(2, 1, 0, 0) !== 5 ||
 *   metadata.ome?.dimensionOrder !== "XYCZT" || metadata.physicalSizes.Z !== 0.5
 * ) throw new Error("wrong file");
 * console.log(axes, metadata.physicalSizes, metadata.channelNames); // "ZCYX" { X: 0.2, Y: 0.2, Z: 0.5 } [ "DAPI", "GFP" ]
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function createTiffPageWriter(
  path: string | URL,
  options: TiffPageWriterOptions,
): Promise<TiffPageWriter> {
  checkFilePath(FN, path);
  checkOptionsObject(FN, options, [
    "height",
    "width",
    "dtype",
    "channels",
    "ome",
    "metadata",
  ]);
  const { height, width, dtype, channels = 1, ome = false } = options;
  for (
    const [key, value] of [["height", height], ["width", width], [
      "channels",
      channels,
    ]] as const
  ) {
    if (!Number.isInteger(value) || value < 1) {
      throw argumentError(FN, `options.${key}`, value, "an integer >= 1");
    }
  }
  if (!PAGE_DTYPES.includes(dtype)) {
    throw argumentError(
      FN,
      "options.dtype",
      dtype,
      '"uint16", "float32" or "float64"',
    );
  }
  if (typeof ome !== "boolean") {
    throw argumentError(FN, "options.ome", ome, "true or false");
  }
  const sizes = physicalSizeFields(FN, options.metadata);
  const channelNames = checkChannelNames(
    FN,
    options.metadata?.channelNames,
    channels,
  );
  // Checked and copied now; the description is written at close.
  const omePixels = ome && {
    physicalSizes: { ...options.metadata?.physicalSizes },
    unit: omeUnit(FN, sizes.unit),
    channelNames: channelNames?.slice(),
  };
  const pageArray = ARRAY_TYPES[dtype];
  const bytesPerPage = pageBytes({ width, height, dtype });
  const out = await openAtomicFile(FN, path);
  const where = `${FN}: ${out.path}`;
  let pages = 0;
  let state: "open" | "closed" | "aborted" = "open";

  const abort = async () => {
    if (state !== "open") return;
    state = "aborted";
    await out.abort();
  };
  /** Runs `work`; any failure removes the temporary file, and the writer is then aborted. */
  const guard = async (work: () => Promise<void>): Promise<void> => {
    if (state !== "open") {
      throw new Error(`${FN}: ${out.path}: the writer is ${state}`);
    }
    try {
      await work();
    } catch (error) {
      await abort();
      throw error;
    }
  };
  // Header placeholder: close() writes the header once the first IFD's offset is known.
  await guard(() => out.write(new Uint8Array(DATA_START)));

  return {
    writePage(values) {
      return guard(async () => {
        if (
          !(values instanceof pageArray) || values.length !== width * height
        ) {
          // A wrong page is a caller's bug: nothing of the file is kept.
          throw argumentError(
            "writePage",
            "values",
            values,
            `a ${pageArray.name} of ${
              width * height
            } values (${height} x ${width})`,
          );
        }
        checkClassicTiffSize(where, DATA_START + (pages + 1) * bytesPerPage);
        pages++;
        // Typed-array bytes are little-endian on every engine Deno runs on: the file's order.
        await out.write(
          new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
        );
      });
    },
    close() {
      return guard(async () => {
        if (pages === 0 || pages % channels !== 0) {
          throw new Error(
            `${where}: expected a positive multiple of ${channels} pages (whole planes), got ${pages}`,
          );
        }
        const slices = pages / channels;
        const { resolution: imagejResolution, ...imagej } = sizes;
        const description = encodeDescription(
          omePixels
            ? omePagesDescription({
              axes: channels > 1 ? "ZCYX" : "ZYX",
              shape: channels > 1
                ? [slices, channels, height, width]
                : [slices, height, width],
              dtype,
              ...omePixels,
            })
            : imageJDescription({
              images: pages,
              channels,
              slices,
              frames: 1,
              ...imagej,
            }),
        );
        // An OME-TIFF's sizes live in its OME-XML only, in one unit.
        const resolution = ome ? undefined : imagejResolution;
        // After the pages: the description, the resolution rationals, the IFDs.
        const tailAt = DATA_START + pages * bytesPerPage;
        const resolutionAt = even(tailAt + description.length);
        const layout: WrittenPages = {
          pageCount: pages,
          width,
          height,
          dtype,
          dataAt: DATA_START,
          description: { at: tailAt, byteLength: description.length },
          resolution: resolution && { at: resolutionAt, unit: resolution.unit },
        };
        const firstIfdAt = even(
          resolutionAt + (resolution?.bytes.length ?? 0),
        );
        const chain = encodeIfdChain(layout, firstIfdAt);
        checkClassicTiffSize(where, firstIfdAt + chain.length);
        const tail = new Uint8Array(firstIfdAt + chain.length - tailAt);
        tail.set(description, 0);
        if (resolution) tail.set(resolution.bytes, resolutionAt - tailAt);
        tail.set(chain, firstIfdAt - tailAt);
        await out.write(tail);
        await out.file.seek(0, Deno.SeekMode.Start);
        await out.write(encodeHeader(firstIfdAt));
        await out.commit();
        state = "closed";
      });
    },
    abort,
  };
}
