/**
 * Decompresses the strips and tiles of TIFF pages: deflate and zstd through
 * `node:zlib`, LZW (TIFF 6.0 section 13) and PackBits (section 9) here.
 *
 * @module
 */

import { inflateSync, zstdDecompressSync } from "node:zlib";
import { compressionName } from "./_tiff_codes.ts";

type Decompressor = (bytes: Uint8Array, expectedLength: number) => Uint8Array;

/** Decompressors by compression name (see `compressionName`). */
const DECOMPRESSORS: Readonly<Record<string, Decompressor>> = {
  deflate: (bytes) => asBytes(inflateSync(bytes)),
  zstd: (bytes) => asBytes(zstdDecompressSync(bytes)),
  lzw: decodeLzw,
  packbits: decodePackBits,
};

/** The compression names `decompress` handles, e.g. for an error message. */
export const DECOMPRESSIBLE: readonly string[] = Object.keys(DECOMPRESSORS);

/** True when `decompress` can undo Compression value `code`. */
export function canDecompress(code: number): boolean {
  return Object.hasOwn(DECOMPRESSORS, compressionName(code));
}

/**
 * The bytes `bytes` decompress to, in a new array; `expectedLength` sizes the
 * output of the decoders that grow it. Throws on corrupt data.
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

/** An output buffer that doubles when full. */
class ByteSink {
  bytes: Uint8Array;
  length = 0;
  constructor(expectedLength: number) {
    this.bytes = new Uint8Array(Math.max(expectedLength, 64));
  }
  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(
      Math.max(2 * this.bytes.length, this.length + extra),
    );
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

const CLEAR_CODE = 256;
const END_CODE = 257;
const FIRST_CODE = 258;
const MAX_CODES = 4096;

/**
 * TIFF LZW: codes of 9 to 12 bits, most significant bit first, widening one
 * code early (at 511, 1023, 2047). Each table entry is the previous string
 * plus one byte, and both were written next to each other, so an entry is kept
 * as a (start, length) range of the output rather than as a string.
 */
function decodeLzw(input: Uint8Array, expectedLength: number): Uint8Array {
  const sink = new ByteSink(expectedLength);
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
    const start = sink.length;
    let length: number;
    if (code < CLEAR_CODE) {
      length = 1;
      sink.reserve(1);
      sink.bytes[start] = code;
    } else if (code < next) {
      length = lengths[code];
      sink.reserve(length);
      sink.bytes.copyWithin(start, starts[code], starts[code] + length);
    } else if (code === next && previousStart >= 0) {
      length = previousLength + 1;
      sink.reserve(length);
      const bytes = sink.bytes;
      bytes.copyWithin(start, previousStart, previousStart + previousLength);
      bytes[start + previousLength] = bytes[previousStart];
    } else {
      throw new Error(
        `corrupt LZW data: code ${code} at byte ${at} is not defined yet`,
      );
    }
    sink.length += length;
    if (previousStart >= 0 && next < MAX_CODES) {
      starts[next] = previousStart;
      lengths[next] = previousLength + 1;
      next++;
      if (next === (1 << width) - 1 && width < 12) width++;
    }
    previousStart = start;
    previousLength = length;
  }
  return sink.result();
}

/** PackBits: a header byte n, then n + 1 literal bytes (n >= 0) or one byte repeated 1 - n times (n < 0, not -128). */
function decodePackBits(input: Uint8Array, expectedLength: number): Uint8Array {
  const sink = new ByteSink(expectedLength);
  for (let at = 0; at < input.length;) {
    const header = (input[at++] << 24) >> 24;
    if (header >= 0) {
      const literal = input.subarray(at, at + header + 1);
      sink.reserve(literal.length);
      sink.bytes.set(literal, sink.length);
      sink.length += literal.length;
      at += header + 1;
    } else if (header !== -128 && at < input.length) {
      const count = 1 - header;
      sink.reserve(count);
      sink.bytes.fill(input[at++], sink.length, sink.length + count);
      sink.length += count;
    }
  }
  return sink.result();
}
