/**
 * Decompresses the strips and tiles of TIFF pages: deflate and zstd through
 * `node:zlib`, LZW (TIFF 6.0 section 13) and PackBits (section 9) here.
 *
 * @module
 */

import { inflateSync, zstdDecompressSync } from "node:zlib";
import { compressionName } from "./_tiff_codes.ts";

/**
 * Decompresses `bytes`, of which a page needs the first `expectedLength`
 * bytes; throws on corrupt data. The decoders written here stop there, as
 * libtiff's do, so hostile data cannot make them allocate more.
 */
type Decompressor = (bytes: Uint8Array, expectedLength: number) => Uint8Array;

/** Decompressors by compression name (see `compressionName`). */
const DECOMPRESSORS: Readonly<Record<string, Decompressor>> = {
  deflate: (bytes) => asBytes(inflateSync(bytes)),
  zstd: (bytes) => asBytes(zstdDecompressSync(bytes)),
  lzw: decodeLzw,
  packbits: decodePackBits,
};

/**
 * The most bytes one stored byte decompresses to, by compression name: deflate
 * 1032 (zlib's technical details), zstd 32768 (a 4-byte RLE block of 128 KiB),
 * LZW 3641 (at most 4096 bytes per code of at least 9 bits), PackBits 64
 * (2 bytes per run of 128), none 1.
 */
const MAX_EXPANSION: Readonly<Record<string, number>> = {
  none: 1,
  deflate: 1032,
  zstd: 32768,
  lzw: 3641,
  packbits: 64,
};

/** The most bytes one stored byte of Compression value `code` decompresses to: what a file's size bounds. */
export function maxExpansion(code: number): number {
  return MAX_EXPANSION[compressionName(code)];
}

/** The compression names `decompress` handles, e.g. for an error message. */
export const DECOMPRESSIBLE: readonly string[] = Object.keys(DECOMPRESSORS);

/** True when `decompress` can undo Compression value `code`. */
export function canDecompress(code: number): boolean {
  return Object.hasOwn(DECOMPRESSORS, compressionName(code));
}

/**
 * The bytes `bytes` decompress to, in a new array: at least the first
 * `expectedLength` unless the data ends sooner (the caller checks the
 * length). Throws an Error saying what is wrong with corrupt data.
 */
export function decompress(
  code: number,
  bytes: Uint8Array,
  expectedLength: number,
): Uint8Array {
  return DECOMPRESSORS[compressionName(code)](bytes, expectedLength);
}

function asBytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

const CLEAR_CODE = 256;
const END_CODE = 257;
const FIRST_CODE = 258;
const MAX_CODES = 4096;

/**
 * TIFF LZW: codes of 9 to 12 bits, most significant bit first, widening one
 * code early (at 511, 1023, 2047). Each table entry is the previous string
 * plus one byte, and both were written next to each other, so an entry is kept
 * as a (start, length) range of the output rather than as a string. Decoding
 * ends at the end code, at the end of the data or once `expectedLength`
 * bytes are out; a string that would pass that end is cut there.
 */
function decodeLzw(input: Uint8Array, expectedLength: number): Uint8Array {
  const output = new Uint8Array(expectedLength);
  let length = 0;
  const starts = new Int32Array(MAX_CODES);
  const lengths = new Int32Array(MAX_CODES);
  let width = 9;
  let next = FIRST_CODE;
  let previousStart = -1;
  let previousLength = 0;
  let bitBuffer = 0;
  let bitCount = 0;
  let at = 0;
  for (;;) {
    while (bitCount < width && at < input.length) {
      bitBuffer = (bitBuffer << 8) | input[at++];
      bitCount += 8;
    }
    // Data that ends without the end code ends here too, as libtiff allows.
    if (bitCount < width) break;
    bitCount -= width;
    const code = (bitBuffer >>> bitCount) & ((1 << width) - 1);
    bitBuffer &= (1 << bitCount) - 1;
    if (code === END_CODE) break;
    if (code === CLEAR_CODE) {
      width = 9;
      next = FIRST_CODE;
      previousStart = -1;
      continue;
    }
    const start = length;
    let stringLength: number;
    if (code < CLEAR_CODE) {
      stringLength = 1;
      output[start] = code;
    } else if (code < next) {
      stringLength = lengths[code];
      output.copyWithin(start, starts[code], starts[code] + stringLength);
    } else if (code === next && previousStart >= 0) {
      stringLength = previousLength + 1;
      output.copyWithin(start, previousStart, previousStart + previousLength);
      if (start + previousLength < expectedLength) {
        output[start + previousLength] = output[previousStart];
      }
    } else {
      throw new Error(`code ${code} at byte ${at} is not defined yet`);
    }
    length = Math.min(start + stringLength, expectedLength);
    if (length === expectedLength) break;
    if (previousStart >= 0 && next < MAX_CODES) {
      starts[next] = previousStart;
      lengths[next] = previousLength + 1;
      next++;
      if (next === (1 << width) - 1 && width < 12) width++;
    }
    previousStart = start;
    previousLength = stringLength;
  }
  return output.subarray(0, length);
}

/**
 * PackBits: a header byte n, then n + 1 literal bytes (n >= 0) or one byte
 * repeated 1 - n times (n < 0, not -128, which is skipped). Decoding ends at
 * the end of the data or once `expectedLength` bytes are out.
 */
function decodePackBits(input: Uint8Array, expectedLength: number): Uint8Array {
  const output = new Uint8Array(expectedLength);
  let length = 0;
  for (let at = 0; at < input.length && length < expectedLength;) {
    const headerAt = at;
    const header = (input[at++] << 24) >> 24;
    if (header === -128) continue;
    const count = Math.min(
      header >= 0 ? header + 1 : 1 - header,
      expectedLength - length,
    );
    if (header >= 0) {
      if (at + count > input.length) {
        throw new Error(
          `the literal run of ${
            header + 1
          } bytes at byte ${headerAt} passes the end of the data (${input.length} bytes)`,
        );
      }
      output.set(input.subarray(at, at + count), length);
      at += header + 1;
    } else {
      if (at === input.length) {
        throw new Error(
          `the repeat run at byte ${headerAt} lacks the byte to repeat`,
        );
      }
      output.fill(input[at++], length, length + count);
    }
    length += count;
  }
  return output.subarray(0, length);
}
