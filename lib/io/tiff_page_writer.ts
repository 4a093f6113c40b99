/**
 * Writes a multi-page TIFF one page at a time, so that a volume larger than
 * memory can be written as it is computed.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { argumentError } from "../_errors.ts";
import { checkFilePath } from "./_file_path.ts";

const FN = "createTiffPageWriter";
const MAX_CLASSIC_TIFF_BYTES = 2 ** 32 - 1;
/** Pages start at this offset: the 8-byte header, padded to 16 bytes. */
const DATA_START = 16;

/** Sample types {@linkcode createTiffPageWriter} writes. */
export type TiffPageDType = "uint16" | "float32" | "float64";

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

const SAMPLE_TYPES = {
  uint16: { bits: 16, format: 1, array: Uint16Array },
  float32: { bits: 32, format: 3, array: Float32Array },
  float64: { bits: 64, format: 3, array: Float64Array },
} as const;

/**
 * Opens a little-endian, uncompressed TIFF for writing page by page: each
 * `writePage` appends the page's values to a temporary file in the target's
 * folder; `close` appends one image file directory (IFD) per page and the
 * description, links the chain from the header, and renames the temporary
 * file over `path`, so the target is never seen half-written. `abort` (or
 * any error in `close`) removes the temporary file. Memory: one page at a
 * time plus 12 tags per page at `close`.
 *
 * Descriptions: uint16 and float32 files get an ImageJ hyperstack
 * description (`images`, `channels`, `slices`, `hyperstack=true`), so ImageJ
 * and `readTiff` see axes ZYX or ZCYX; float64 files, which ImageJ cannot
 * open, get tifffile's JSON description (`{"shape": [...], "axes": "ZCYX"}`)
 * that `readTiff` and tifffile read with the same axes. Files stay below
 * 4 GiB (classic TIFF); a larger one fails at the page that would cross it.
 *
 * Needs `--allow-write` and `--allow-read` on the folder, which must exist.
 *
 * @param path Destination file path or `file:` URL.
 * @param options Page size, sample type and channels per plane.
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
 * });
 * await writer.writePage(new Float32Array(6).fill(1.5));
 * await writer.writePage(new Float32Array(6).fill(2.5));
 * await writer.close();
 * const { data, axes } = await readTiff(`${folder}/out.tif`);
 * console.log(axes, data.shape, data.get(1, 0, 0)); // "ZYX" [2, 2, 3] 2.5
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function createTiffPageWriter(
  path: string | URL,
  options: TiffPageWriterOptions,
): Promise<TiffPageWriter> {
  checkFilePath(FN, path);
  if (typeof options !== "object" || options === null) {
    throw argumentError(
      FN,
      "options",
      options,
      "an object { height, width, dtype }",
    );
  }
  const { height, width, dtype, channels = 1 } = options;
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
  const sampleType = SAMPLE_TYPES[dtype as TiffPageDType];
  if (!Object.hasOwn(SAMPLE_TYPES, dtype) || sampleType === undefined) {
    throw argumentError(
      FN,
      "options.dtype",
      dtype,
      '"uint16", "float32" or "float64"',
    );
  }
  const target = typeof path === "string" ? path : fileURLToPath(path);
  const folder = dirname(target);
  const temporary = join(
    folder,
    `.${basename(target)}.${crypto.randomUUID()}.tmp`,
  );
  let file: Deno.FsFile;
  try {
    file = await Deno.open(temporary, { write: true, createNew: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `${FN}: ${target}: the folder ${folder} does not exist; create it first`,
        { cause: error },
      );
    }
    throw new Error(
      `${FN}: ${target}: cannot be written (${(error as Error).message})`,
      { cause: error },
    );
  }
  const pageBytes = width * height * sampleType.bits / 8;
  let pages = 0;
  let state: "open" | "closed" | "aborted" = "open";

  const writeAll = async (bytes: Uint8Array) => {
    for (let done = 0; done < bytes.length;) {
      done += await file.write(bytes.subarray(done));
    }
  };
  const abort = async () => {
    if (state === "open") file.close();
    if (state !== "closed") await Deno.remove(temporary).catch(() => {});
    if (state === "open") state = "aborted";
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      await abort();
      throw error;
    }
  };
  // Header placeholder: the first IFD's offset is patched by close().
  await guard(() => writeAll(new Uint8Array(DATA_START)));

  return {
    writePage(values) {
      if (state !== "open") {
        return Promise.reject(
          new Error(`${FN}: writePage: the writer is ${state}`),
        );
      }
      if (
        !(values instanceof sampleType.array) ||
        values.length !== width * height
      ) {
        // A wrong page is a caller's bug: nothing of the file is kept.
        return guard(() => {
          throw argumentError(
            "writePage",
            "values",
            values,
            `a ${sampleType.array.name} of ${
              width * height
            } values (${height} x ${width})`,
          );
        });
      }
      if (DATA_START + (pages + 1) * pageBytes > MAX_CLASSIC_TIFF_BYTES) {
        return guard(() => {
          throw new RangeError(
            `${FN}: ${target}: page ${pages} would cross 4 GiB, the classic TIFF limit; write several files`,
          );
        });
      }
      pages++;
      // Typed-array bytes are little-endian on every engine Deno runs on: the file's order.
      return guard(() =>
        writeAll(
          new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
        )
      );
    },
    close() {
      if (state !== "open") {
        return Promise.reject(
          new Error(`${FN}: close: the writer is ${state}`),
        );
      }
      return guard(async () => {
        if (pages === 0 || pages % channels !== 0) {
          throw new Error(
            `${FN}: ${target}: expected a positive multiple of ${channels} pages (whole planes), got ${pages}`,
          );
        }
        const slices = pages / channels;
        const description = dtype === "float64"
          ? JSON.stringify({
            shape: channels > 1
              ? [slices, channels, height, width]
              : [slices, height, width],
            axes: channels > 1 ? "ZCYX" : "ZYX",
          })
          : [
            "ImageJ=1.11a",
            `images=${pages}`,
            `channels=${channels}`,
            `slices=${slices}`,
            "frames=1",
            "hyperstack=true",
            "mode=grayscale",
            "",
          ].join("\n");
        const descriptionBytes = new TextEncoder().encode(`${description}\0`);
        const descriptionAt = DATA_START + pages * pageBytes;
        const firstIfdAt = even(descriptionAt + descriptionBytes.length);
        const ifdBytes = (first: boolean) => 2 + 12 * (first ? 12 : 10) + 4;
        const end = firstIfdAt + ifdBytes(true) + (pages - 1) * ifdBytes(false);
        if (end > MAX_CLASSIC_TIFF_BYTES) {
          throw new RangeError(
            `${FN}: ${target}: the TIFF would take ${end} bytes, over the classic TIFF limit of 4 GiB; write several files`,
          );
        }
        const tail = new Uint8Array(end - descriptionAt);
        const view = new DataView(tail.buffer);
        tail.set(descriptionBytes, 0);
        let at = firstIfdAt - descriptionAt;
        for (let page = 0; page < pages; page++) {
          const first = page === 0;
          const entries: [number, number, number, number][] = [
            [254, 4, 1, 0], // NewSubfileType
            [256, 4, 1, width],
            [257, 4, 1, height],
            [258, 3, 1, sampleType.bits],
            [259, 3, 1, 1], // no compression
            [262, 3, 1, 1], // BlackIsZero
            [273, 4, 1, DATA_START + page * pageBytes],
            [277, 3, 1, 1],
            [278, 4, 1, height],
            [279, 4, 1, pageBytes],
            [339, 3, 1, sampleType.format],
          ];
          // The description goes on the first page only, as ImageJ writes it.
          if (first) {
            entries.splice(6, 0, [
              270,
              2,
              descriptionBytes.length,
              descriptionAt,
            ]);
          } else {
            entries.splice(0, 1);
          }
          view.setUint16(at, entries.length, true);
          entries.forEach(([tag, type, count, value], i) => {
            const entry = at + 2 + 12 * i;
            view.setUint16(entry, tag, true);
            view.setUint16(entry + 2, type, true);
            view.setUint32(entry + 4, count, true);
            if (type === 3) view.setUint16(entry + 8, value, true);
            else view.setUint32(entry + 8, value, true);
          });
          const next = at + ifdBytes(first);
          view.setUint32(
            at + 2 + 12 * entries.length,
            page === pages - 1 ? 0 : descriptionAt + next,
            true,
          );
          at = next;
        }
        await writeAll(tail);
        const header = new Uint8Array(8);
        const headerView = new DataView(header.buffer);
        header[0] = 0x49;
        header[1] = 0x49;
        headerView.setUint16(2, 42, true);
        headerView.setUint32(4, firstIfdAt, true);
        await file.seek(0, Deno.SeekMode.Start);
        await writeAll(header);
        file.close();
        state = "closed";
        try {
          await Deno.rename(temporary, target);
        } catch (error) {
          await Deno.remove(temporary).catch(() => {});
          throw new Error(
            `${FN}: ${target}: cannot be written (${(error as Error).message})`,
            { cause: error },
          );
        }
      });
    },
    abort,
  };
}

function even(n: number): number {
  return n + (n & 1);
}
