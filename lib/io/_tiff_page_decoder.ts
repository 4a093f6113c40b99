/**
 * Decodes one TIFF page from a `ByteSource` into its values in native
 * (little-endian) byte order: each strip or tile is read, decompressed,
 * byte-swapped, un-predicted and copied into place. Uncompressed strips, the
 * usual microscopy layout, are copied straight into the output.
 *
 * @module
 */

import type { NumericArray } from "../array/types.ts";
import { ARRAY_TYPES } from "../array/_strided.ts";
import type { ByteSource, Fail } from "./_byte_source.ts";
import { compressionName, UNCOMPRESSED } from "./_tiff_codes.ts";
import { decompress } from "./_tiff_decompress.ts";
import type { PageLayout } from "./_tiff_page_layout.ts";
import { undoPredictor } from "./_tiff_predictor.ts";

/**
 * The values of pages `indices` of a file whose pages all have the pixels of
 * `layouts[0]`, one after another in a new typed array of their dtype.
 */
export async function decodePages(
  source: ByteSource,
  littleEndian: boolean,
  layouts: readonly PageLayout[],
  indices: readonly number[],
  fail: Fail,
  window?: PageWindow,
): Promise<NumericArray> {
  const { width, height, samplesPerPixel, dtype } = layouts[0];
  const pageValues = width * height * samplesPerPixel;
  const values = new ARRAY_TYPES[dtype](indices.length * pageValues);
  const pageBytes = pageValues * values.BYTES_PER_ELEMENT;
  const bytes = new Uint8Array(values.buffer);
  for (const [at, page] of indices.entries()) {
    await decodePage(
      source,
      littleEndian,
      layouts[page],
      page,
      bytes.subarray(at * pageBytes, (at + 1) * pageBytes),
      fail,
      window,
    );
  }
  return values;
}

/** Rows and columns `[first, end)` of a page: only the strips or tiles they overlap are read. */
export interface PageWindow {
  rows: readonly [number, number];
  columns: readonly [number, number];
}

/**
 * Fills `target` (the page's values' bytes) with page `index`'s values,
 * YXS when interleaved, SYX when planar; with `window`, only those of the
 * strips or tiles it overlaps. A block outside the file, shorter
 * than its pixels, that does not decompress or decompresses to fewer bytes
 * than its pixels fails with `fail`.
 */
async function decodePage(
  source: ByteSource,
  littleEndian: boolean,
  layout: PageLayout,
  index: number,
  target: Uint8Array,
  fail: Fail,
  window?: PageWindow,
): Promise<void> {
  const { width, height, blockWidth, blockHeight, tiled } = layout;
  const bytesPerSample = layout.bitsPerSample / 8;
  const pixelBytes = (layout.planar ? 1 : layout.samplesPerPixel) *
    bytesPerSample;
  const rowBytes = width * pixelBytes;
  const blockRowBytes = blockWidth * pixelBytes;
  const across = Math.ceil(width / blockWidth);
  const down = Math.ceil(height / blockHeight);
  const kind = tiled ? "tile" : "strip";
  const direct = !tiled && layout.compression === UNCOMPRESSED &&
    layout.predictor === 1;
  const swap = !littleEndian && bytesPerSample > 1;

  for (let block = 0; block < layout.offsets.length; block++) {
    const plane = Math.floor(block / (across * down));
    const blockY = Math.floor(block / across) % down;
    const blockX = block % across;
    const rows = Math.min(blockHeight, height - blockY * blockHeight);
    const columns = Math.min(blockWidth, width - blockX * blockWidth);
    // Outside the window: left unread (its bytes in `target` stay as they are).
    if (
      window !== undefined &&
      (blockY * blockHeight >= window.rows[1] ||
        blockY * blockHeight + rows <= window.rows[0] ||
        blockX * blockWidth >= window.columns[1] ||
        blockX * blockWidth + columns <= window.columns[0])
    ) continue;
    const needed = (rows - 1) * blockRowBytes + columns * pixelBytes;
    const offset = layout.offsets[block];
    const byteCount = layout.byteCounts[block];
    const uncompressed = layout.compression === UNCOMPRESSED;
    if (uncompressed && byteCount < needed) {
      throw fail(
        `corrupt page ${index}: ${kind} ${block} holds ${byteCount} bytes, expected ${needed} for ${rows} rows`,
      );
    }
    const at = plane * height * rowBytes + blockY * blockHeight * rowBytes +
      blockX * blockWidth * pixelBytes;
    if (direct) {
      // Whole rows of the page, one read and one copy (byte order is fixed
      // below, once); with a window, only its rows of the strip.
      const first = blockY * blockHeight;
      const [r0, r1] = window === undefined ? [first, first + rows] : [
        Math.max(first, window.rows[0]),
        Math.min(first + rows, window.rows[1]),
      ];
      const stored = await source.readAt(
        // A strip's rows are whole rows of the page (`needed` is rows · rowBytes).
        offset + (r0 - first) * rowBytes,
        (r1 - r0) * rowBytes,
        `page ${index} ${kind} ${block}`,
      );
      target.set(stored, at + (r0 - first) * rowBytes);
      continue;
    }
    // The directory reader checked that every block lies in the file.
    const stored = await source.readAt(
      offset,
      uncompressed ? needed : byteCount,
      `page ${index} ${kind} ${block}`,
    );
    const blockBytes = rows * blockRowBytes;
    let decoded = uncompressed ? stored.slice() : decompressBlock(
      layout.compression,
      stored,
      blockBytes,
      (reason) =>
        fail(
          `cannot decode page ${index} ${kind} ${block} (${
            compressionName(layout.compression)
          }): ${reason}`,
        ),
    );
    if (decoded.byteOffset % bytesPerSample !== 0) decoded = decoded.slice();
    // The floating-point predictor stores bytes most significant first whatever the byte order.
    if (swap && layout.predictor !== 3) swapBytes(decoded, bytesPerSample);
    undoPredictor(
      layout.predictor,
      decoded,
      blockRowBytes / bytesPerSample,
      pixelBytes / bytesPerSample,
      bytesPerSample,
    );
    for (let row = 0; row < rows; row++) {
      const from = row * blockRowBytes;
      target.set(
        decoded.subarray(from, from + columns * pixelBytes),
        at + row * rowBytes,
      );
    }
  }
  if (direct && swap) swapBytes(target, bytesPerSample);
}

/**
 * The first `blockBytes` bytes, every row of the block that is on the page,
 * that `stored` decompresses to (whole rows, as the predictors need, even in
 * an edge tile); data that does not decompress or ends sooner throws
 * `cannotDecode(reason)`.
 */
function decompressBlock(
  compression: number,
  stored: Uint8Array,
  blockBytes: number,
  cannotDecode: (reason: string) => Error,
): Uint8Array {
  if (stored.length === 0) throw cannotDecode("its byte count is 0");
  let decoded: Uint8Array;
  try {
    decoded = decompress(compression, stored, blockBytes);
  } catch (error) {
    // A reason whatever was thrown: never "undefined".
    throw cannotDecode(
      error instanceof Error && error.message ? error.message : String(error),
    );
  }
  if (decoded.length < blockBytes) {
    throw cannotDecode(
      `the data ends after ${decoded.length} bytes, expected ${blockBytes}`,
    );
  }
  return decoded;
}

/** Reverses the byte order of each `width`-byte sample of `bytes`, in place. */
function swapBytes(bytes: Uint8Array, width: number): void {
  const end = bytes.length - (bytes.length % width);
  for (let at = 0; at < end; at += width) {
    for (let low = at, high = at + width - 1; low < high; low++, high--) {
      const byte = bytes[low];
      bytes[low] = bytes[high];
      bytes[high] = byte;
    }
  }
}
