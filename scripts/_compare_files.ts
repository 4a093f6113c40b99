/**
 * What the comparison scripts share: the raw files their subprocesses
 * exchange (uint16 volumes in, float64 results out) and the median of runs.
 *
 * @module
 */

import { type NdArray, ndarray } from "../lib/deps.ts";

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A raw little-endian uint16 volume of `shape`. */
export function readRawVolume(
  path: string,
  shape: number[],
): NdArray<Uint16Array> {
  const bytes = Deno.readFileSync(path);
  return ndarray(
    new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2),
    shape,
  );
}

/** A raw little-endian float64 file. */
export function readFloat64(path: string): Float64Array {
  const bytes = Deno.readFileSync(path);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}
